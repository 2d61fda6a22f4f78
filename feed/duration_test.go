package feed

import "testing"

func TestParseDuration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		want   int
		wantOK bool
	}{
		{"3723", 3723, true},
		{"  3723\n", 3723, true},
		{"62:03", 3723, true},
		{"1:02:03", 3723, true},
		{"01:02:03", 3723, true},
		{"0:67:16", 4036, true}, // minutes past 59, as codetime-cn writes them
		{"1:02:03.400", 3723, true},
		{"1:02:03,6", 3724, true},
		{"1h2m3s", 3723, true},
		{"1h 2m 3s", 3723, true},
		{"2h30", 9000, true},
		{"45 min", 2700, true},
		{"90 minutes", 5400, true},
		{"1 hr 2 mins", 3720, true},
		{"PT1H2M3S", 3723, true},
		{"3723.5", 3724, true},
		{"0", 0, true},
		{"00:00:00", 0, true},
		{"1:00:00:00", 86400, true},
		{"", 0, false},
		{"   ", 0, false},
		{"-5", 0, false},
		{"abc", 0, false},
		{"1::2", 0, false},
		{"1:2:3:4:5", 0, false},
		{"1.5:00", 0, false},
		{"NaN", 0, false},
		{"1e3", 0, false},
		{"3723000", 0, false}, // milliseconds, or garbage: over a week
		{"12 parsecs", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, ok := ParseDuration(tt.in)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("ParseDuration(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
