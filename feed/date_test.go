package feed

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	utc := func(y int, m time.Month, d, hh, mm, ss int) time.Time {
		return time.Date(y, m, d, hh, mm, ss, 0, time.UTC)
	}
	tests := []struct {
		name string
		in   string
		want time.Time // zero: not a date
	}{
		{"RFC 1123 numeric zone", "Mon, 02 Jan 2006 15:04:05 -0700", utc(2006, 1, 2, 22, 4, 5)},
		{"RFC 1123 GMT", "Wed, 17 Oct 2018 10:30:00 GMT", utc(2018, 10, 17, 10, 30, 0)},
		{"no weekday", "07 Nov 2015 12:00:00 EST", utc(2015, 11, 7, 17, 0, 0)},
		{"weekday without comma", "Fri 1 Oct 2010 10:00:00 PDT", utc(2010, 10, 1, 17, 0, 0)},
		{"no seconds", "Tue, 10 Jun 2003 04:00 GMT", utc(2003, 6, 10, 4, 0, 0)},
		{"no zone is UTC", "Tue, 10 Jun 2003 04:00:00", utc(2003, 6, 10, 4, 0, 0)},
		{"no time", "10 Jun 2003", utc(2003, 6, 10, 0, 0, 0)},
		{"entity-encoded plus", "Mon, 16 Oct 2017 15:10:00 &#43;0000", utc(2017, 10, 16, 15, 10, 0)},
		{"zone with colon", "Mon, 16 Oct 2017 15:10:00 +05:30", utc(2017, 10, 16, 9, 40, 0)},
		{"CEST", "Mon, 16 Oct 2017 15:10:00 CEST", utc(2017, 10, 16, 13, 10, 0)},
		{"zone name in parentheses", "Mon, 16 Oct 2017 15:10:00 -0700 (PDT)", utc(2017, 10, 16, 22, 10, 0)},
		{"GMT plus offset", "02-Jan-2006 15:04:05 GMT+0200", utc(2006, 1, 2, 13, 4, 5)},
		{"full month name", "Thursday, January 2, 2020 3:04 PM EST", utc(2020, 1, 2, 20, 4, 0)},
		{"two-digit year with 1500", "03 Apr 02 1500 GMT", utc(2002, 4, 3, 15, 0, 0)},
		{"two-digit year 99", "Sat, 01 May 99 10:00:00 GMT", utc(1999, 5, 1, 10, 0, 0)},
		{"RFC 3339", "2020-01-02T15:04:05Z", utc(2020, 1, 2, 15, 4, 5)},
		{"RFC 3339 fraction and offset", "2020-01-02T15:04:05.123+01:00", time.Date(2020, 1, 2, 14, 4, 5, 123e6, time.UTC)},
		{"ISO-like with space", "2020-01-02 15:04:05", utc(2020, 1, 2, 15, 4, 5)},
		{"ISO-like with zone", "2012-09-13 19:24:00 -0500", utc(2012, 9, 14, 0, 24, 0)},
		{"ISO date only", "2020-01-02", utc(2020, 1, 2, 0, 0, 0)},
		{"unix seconds", "1518478934", utc(2018, 2, 12, 23, 42, 14)},
		{"unix milliseconds", "1518478934000", utc(2018, 2, 12, 23, 42, 14)},
		{"German", "Di, 03 Mär 2020 08:00:00 +0100", utc(2020, 3, 3, 7, 0, 0)},
		{"German long", "Dienstag, 3. März 2020 08:00", utc(2020, 3, 3, 8, 0, 0)},
		{"French with mardi", "mar., 02 oct. 2018 10:00:00 +0200", utc(2018, 10, 2, 8, 0, 0)},
		{"French août", "Jeu, 15 août 2019 10:00:00 +0200", utc(2019, 8, 15, 8, 0, 0)},
		{"Spanish", "Mié, 04 Dic 2019 12:00:00 -0300", utc(2019, 12, 4, 15, 0, 0)},
		{"Portuguese", "Seg, 24 Set 2018 19:42:40 -0300", utc(2018, 9, 24, 22, 42, 40)},
		{"Portuguese long", "24 de setembro de 2018", utc(2018, 9, 24, 0, 0, 0)},
		{"Italian", "Gio, 12 Giu 2014 09:00:00 +0200", utc(2014, 6, 12, 7, 0, 0)},
		{"Dutch", "wo, 06 mrt 2019 18:00:00 +0100", utc(2019, 3, 6, 17, 0, 0)},
		{"Swedish", "Ons, 08 Maj 2019 06:00:00 +0200", utc(2019, 5, 8, 4, 0, 0)},
		{"Danish", "tor, 17 okt 2019 05:00:00 +0200", utc(2019, 10, 17, 3, 0, 0)},
		{"Greek", "Τρι, 29 Ιούν 2004 12:53:00 GMT", utc(2004, 6, 29, 12, 53, 0)},
		{"Greek genitive", "29 Ιουνίου 2004", utc(2004, 6, 29, 0, 0, 0)},
		{"Russian", "вт, 03 марта 2020 08:00:00 +0300", utc(2020, 3, 3, 5, 0, 0)},
		{"Turkish", "Çar, 14 Ağu 2019 10:00:00 +0300", utc(2019, 8, 14, 7, 0, 0)},
		{"month first", "Mar 02 2018", utc(2018, 3, 2, 0, 0, 0)},
		{"ordinal", "March 2nd, 2018", utc(2018, 3, 2, 0, 0, 0)},
		{"European numeric", "17.10.2018 10:00", utc(2018, 10, 17, 10, 0, 0)},
		{"US numeric", "10/17/2018", utc(2018, 10, 17, 0, 0, 0)},
		{"empty", "", time.Time{}},
		{"garbage", "not a date", time.Time{}},
		{"short number", "12345", time.Time{}},
		{"February 31", "Sun, 31 Feb 2019 00:00:00 GMT", time.Time{}},
		{"hour 25", "Sun, 03 Feb 2019 25:00:00 GMT", time.Time{}},
		{"month 13", "2019-13-01", time.Time{}},
		{"no year", "Sun, 03 Feb 10:00:00 GMT", time.Time{}},
		{"bad zone", "2019-01-01T10:00:00+99:00", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := ParseDate(tt.in)
			if ok != !tt.want.IsZero() || !got.Equal(tt.want) {
				t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
			}
			if ok && got.Location() != time.UTC {
				t.Errorf("ParseDate(%q) location = %v; want UTC", tt.in, got.Location())
			}
		})
	}
}
