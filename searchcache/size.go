package searchcache

import (
	"reflect"
	"time"
)

var timeType = reflect.TypeFor[time.Time]()

// sizeOf estimates the bytes v holds: its own size plus the strings, slices and pointed-to
// values it reaches, walked by reflection so that a field added to the hark types is counted
// without anyone remembering to. A time.Time counts as its own size (its location is shared).
// Answers share no memory with each other, so the sum over entries is what the cache keeps.
func sizeOf(v any) int64 {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return 0
	}
	return int64(rv.Type().Size()) + reached(rv)
}

// reached is what v points to beyond its own size.
func reached(v reflect.Value) int64 {
	switch v.Kind() {
	case reflect.String:
		return int64(v.Len())
	case reflect.Pointer:
		if v.IsNil() {
			return 0
		}
		return int64(v.Elem().Type().Size()) + reached(v.Elem())
	case reflect.Slice:
		if v.IsNil() {
			return 0
		}
		n := int64(v.Cap()) * int64(v.Type().Elem().Size())
		for i := range v.Len() {
			n += reached(v.Index(i))
		}
		return n
	case reflect.Struct:
		if v.Type() == timeType {
			return 0
		}
		var n int64
		for i := range v.NumField() {
			n += reached(v.Field(i))
		}
		return n
	}
	return 0 // numbers and bools are in their holder's size; the hark types hold no maps
}
