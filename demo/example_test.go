package demo_test

import (
	"fmt"

	"hark/demo"
)

func Example() {
	c := demo.New(demo.Config{Seed: 1, Shows: 3, MinEpisodes: 5, MaxEpisodes: 200, BaseURL: "http://127.0.0.1:8080"})
	for i, s := range c.Shows() {
		fmt.Printf("%s (%s, %d episodes) %s\n", s.Title, s.Category, s.Episodes, c.FeedURLs()[i])
	}
	// Output:
	// Beyond History (History, 5 episodes) http://127.0.0.1:8080/feeds/beyond-history.xml
	// World Affairs Unfiltered (News, 6 episodes) http://127.0.0.1:8080/feeds/world-affairs-unfiltered.xml
	// The Bad Movies Hour (Comedy, 181 episodes) http://127.0.0.1:8080/feeds/the-bad-movies-hour.xml
}
