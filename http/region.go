package http

import "strings"

// regions are the countries GET /regions lists, by lower-case ISO 3166-1 alpha-2 code, as the
// Listen API has them. The region param of GET /search takes these codes.
var regions = map[string]string{
	"ae": "United Arab Emirates", "ar": "Argentina", "at": "Austria", "au": "Australia",
	"be": "Belgium", "bg": "Bulgaria", "br": "Brazil", "ca": "Canada", "ch": "Switzerland",
	"cl": "Chile", "cn": "China", "co": "Colombia", "cz": "Czechia", "de": "Germany",
	"dk": "Denmark", "eg": "Egypt", "es": "Spain", "fi": "Finland", "fr": "France",
	"gb": "United Kingdom", "gr": "Greece", "hk": "Hong Kong", "hr": "Croatia", "hu": "Hungary",
	"id": "Indonesia", "ie": "Ireland", "il": "Israel", "in": "India", "is": "Iceland",
	"it": "Italy", "jp": "Japan", "ke": "Kenya", "kr": "South Korea", "lt": "Lithuania",
	"lu": "Luxembourg", "lv": "Latvia", "ma": "Morocco", "mx": "Mexico", "my": "Malaysia",
	"ng": "Nigeria", "nl": "Netherlands", "no": "Norway", "nz": "New Zealand", "pe": "Peru",
	"ph": "Philippines", "pk": "Pakistan", "pl": "Poland", "pt": "Portugal", "ro": "Romania",
	"rs": "Serbia", "ru": "Russia", "sa": "Saudi Arabia", "se": "Sweden", "sg": "Singapore",
	"si": "Slovenia", "sk": "Slovakia", "th": "Thailand", "tr": "Turkey", "tw": "Taiwan",
	"ua": "Ukraine", "us": "United States", "ve": "Venezuela", "vn": "Vietnam",
	"za": "South Africa",
}

// regionName returns the country name of a code, or "" when Hark has none.
func regionName(code string) string { return regions[strings.ToLower(code)] }
