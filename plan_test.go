package hark_test

import (
	"testing"

	"hark"
)

func TestPlansRoundTripAndFallback(t *testing.T) {
	t.Parallel()
	ps, err := hark.ParsePlans(hark.PlansDefault)
	if err != nil {
		t.Fatal(err)
	}
	again, err := hark.ParsePlans(ps.String())
	if err != nil || again.String() != ps.String() {
		t.Fatalf("String does not read back: %q -> %v, %v", ps.String(), again, err)
	}
	if p := ps.Of("gone"); p.Name != hark.PlanFree || p.Paid {
		t.Errorf("a plan no longer configured gives %+v; want the free plan", p)
	}
	if p := ps.Of("pro"); !p.Paid || p.SearchDepth != 300 || p.MonthlyQuota != 1000000 {
		t.Errorf("pro = %+v", p)
	}
	for _, bad := range []string{"", "pro paid", "free quota=-1", "free depth=x", "free size=3", "free; free"} {
		if _, err := hark.ParsePlans(bad); err == nil {
			t.Errorf("ParsePlans(%q) succeeded", bad)
		}
	}
}
