package hark

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Plan is what an API key may do: its monthly quota, how deep into search results it may page,
// whether it may call the operations the Listen API reserves for paid plans, and its rate.
type Plan struct {
	Name         string
	MonthlyQuota int  // requests per calendar month (UTC); 0 means unlimited
	SearchDepth  int  // search offsets must stay below it; 0 means the API's own limit
	Paid         bool // may call the PRO/ENTERPRISE operations
	Rate         int  // requests per second; 0 takes the server's default
}

// PlanFree is the plan sign-up gives, and the plan of a key whose plan is not configured.
const PlanFree = "free"

// PlansDefault is the PLANS setting when it is unset: the depths are the Listen API's, the
// quota of the free plan is its free tier's.
const PlansDefault = "free quota=10000 depth=30 rate=5; pro quota=1000000 depth=300 rate=25 paid; " +
	"enterprise depth=10000 paid"

// Plans are the plans keys may be on, by name.
type Plans map[string]Plan

// Of returns the plan called name, or the free plan when there is none by that name, so that a
// key whose plan was dropped from the configuration gets the least.
func (ps Plans) Of(name string) Plan {
	if p, ok := ps[name]; ok {
		return p
	}
	return ps[PlanFree]
}

// ParsePlans reads plans written like PlansDefault: plans separated by ";", each a name followed
// by quota=N, depth=N, rate=N and the word paid, in any order; a missing number is 0. The free
// plan must be among them.
func ParsePlans(s string) (Plans, error) {
	ps := Plans{}
	for _, spec := range strings.Split(s, ";") {
		fields := strings.Fields(spec)
		if len(fields) == 0 {
			continue
		}
		p := Plan{Name: fields[0]}
		if _, dup := ps[p.Name]; dup {
			return nil, fmt.Errorf("plan %q given twice", p.Name)
		}
		for _, f := range fields[1:] {
			if err := p.set(f); err != nil {
				return nil, fmt.Errorf("plan %q: %w", p.Name, err)
			}
		}
		ps[p.Name] = p
	}
	if _, ok := ps[PlanFree]; !ok {
		return nil, fmt.Errorf("no %q plan: sign-up needs one", PlanFree)
	}
	return ps, nil
}

func (p *Plan) set(field string) error {
	if field == "paid" {
		p.Paid = true
		return nil
	}
	name, value, ok := strings.Cut(field, "=")
	n, err := strconv.Atoi(value)
	if !ok || err != nil || n < 0 {
		return fmt.Errorf("%q should be quota=N, depth=N, rate=N (N >= 0) or paid", field)
	}
	switch name {
	case "quota":
		p.MonthlyQuota = n
	case "depth":
		p.SearchDepth = n
	case "rate":
		p.Rate = n
	default:
		return fmt.Errorf("%q should be quota=N, depth=N, rate=N or paid", field)
	}
	return nil
}

// Sorted returns the plans in name order.
func (ps Plans) Sorted() []Plan {
	names := slices.Sorted(maps.Keys(ps))
	out := make([]Plan, len(names))
	for i, name := range names {
		out[i] = ps[name]
	}
	return out
}

// String writes ps as ParsePlans reads it, plans in name order.
func (ps Plans) String() string {
	plans := ps.Sorted()
	out := make([]string, len(plans))
	for i, p := range plans {
		out[i] = fmt.Sprintf("%s quota=%d depth=%d rate=%d", p.Name, p.MonthlyQuota, p.SearchDepth, p.Rate)
		if p.Paid {
			out[i] += " paid"
		}
	}
	return strings.Join(out, "; ")
}
