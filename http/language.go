package http

import (
	"sort"
	"strings"
)

// language is one entry of GET /languages.
type language struct {
	Code string // ISO 639-1, as feeds' <language> has it
	Name string // the name the Listen API uses, e.g. "English"
}

// anyLanguage is the first entry of the Listen API's language list; as a search filter it means
// no filter.
const anyLanguage = "Any language"

// languages are the languages Hark knows by name. Feeds may carry others; their codes still work
// as the language param of GET /search.
var languages = []language{
	{"aa", "Afar"}, {"ab", "Abkhazian"}, {"af", "Afrikaans"}, {"ak", "Akan"}, {"am", "Amharic"},
	{"ar", "Arabic"}, {"as", "Assamese"}, {"az", "Azerbaijani"}, {"ba", "Bashkir"},
	{"be", "Belarusian"}, {"bg", "Bulgarian"}, {"bm", "Bambara"}, {"bn", "Bengali"},
	{"bo", "Tibetan"}, {"br", "Breton"}, {"bs", "Bosnian"}, {"ca", "Catalan"}, {"ch", "Chamorro"},
	{"co", "Corsican"}, {"cs", "Czech"}, {"cy", "Welsh"}, {"da", "Danish"}, {"de", "German"},
	{"el", "Greek"}, {"en", "English"}, {"eo", "Esperanto"}, {"es", "Spanish"}, {"et", "Estonian"},
	{"eu", "Basque"}, {"fa", "Persian"}, {"fi", "Finnish"}, {"fo", "Faeroese"}, {"fr", "French"},
	{"fy", "Frisian"}, {"ga", "Irish"}, {"gd", "Gaelic"}, {"gl", "Galician"}, {"gn", "Guarani"},
	{"gu", "Gujarati"}, {"ha", "Hausa"}, {"he", "Hebrew"}, {"hi", "Hindi"}, {"hr", "Croatian"},
	{"ht", "Haitian"}, {"hu", "Hungarian"}, {"hy", "Armenian"}, {"id", "Indonesian"},
	{"ig", "Igbo"}, {"is", "Icelandic"}, {"it", "Italian"}, {"ja", "Japanese"}, {"jv", "Javanese"},
	{"ka", "Georgian"}, {"kk", "Kazakh"}, {"km", "Khmer"}, {"kn", "Kannada"}, {"ko", "Korean"},
	{"ku", "Kurdish"}, {"ky", "Kirghiz"}, {"la", "Latin"}, {"lb", "Luxembourgish"}, {"lo", "Lao"},
	{"lt", "Lithuanian"}, {"lv", "Latvian"}, {"mg", "Malagasy"}, {"mi", "Maori"},
	{"mk", "Macedonian"}, {"ml", "Malayalam"}, {"mn", "Mongolian"}, {"mr", "Marathi"},
	{"ms", "Malay"}, {"mt", "Maltese"}, {"my", "Burmese"}, {"nb", "Norwegian Bokmål"},
	{"ne", "Nepali"}, {"nl", "Dutch"}, {"nn", "Norwegian Nynorsk"}, {"no", "Norwegian"},
	{"oc", "Occitan"}, {"or", "Oriya"}, {"pa", "Punjabi"}, {"pl", "Polish"}, {"ps", "Pashto"},
	{"pt", "Portuguese"}, {"qu", "Quechua"}, {"rm", "Romansh"}, {"ro", "Romanian"},
	{"ru", "Russian"}, {"rw", "Kinyarwanda"}, {"sa", "Sanskrit"}, {"sd", "Sindhi"},
	{"si", "Sinhalese"}, {"sk", "Slovak"}, {"sl", "Slovenian"}, {"sm", "Samoan"}, {"sn", "Shona"},
	{"so", "Somali"}, {"sq", "Albanian"}, {"sr", "Serbian"}, {"st", "Sesotho"},
	{"su", "Sundanese"}, {"sv", "Swedish"}, {"sw", "Swahili"}, {"ta", "Tamil"}, {"te", "Telugu"},
	{"tg", "Tajik"}, {"th", "Thai"}, {"tk", "Turkmen"}, {"tl", "Tagalog"}, {"tr", "Turkish"},
	{"tt", "Tatar"}, {"ug", "Uighur"}, {"uk", "Ukrainian"}, {"ur", "Urdu"}, {"uz", "Uzbek"},
	{"vi", "Vietnamese"}, {"wo", "Wolof"}, {"xh", "Xhosa"}, {"yi", "Yiddish"}, {"yo", "Yoruba"},
	{"zh", "Chinese"}, {"zu", "Zulu"},
}

// languageNames is the answer of GET /languages: "Any language", then names A to Z.
var languageNames = func() []string {
	names := make([]string, 0, len(languages)+1)
	for _, l := range languages {
		names = append(names, l.Name)
	}
	sort.Strings(names)
	return append([]string{anyLanguage}, names...)
}()

// languageName returns the name of a feed's language code ("en-us" -> "English"), or the code
// itself when Hark has no name for it.
func languageName(code string) string {
	primary, _, _ := strings.Cut(strings.ToLower(code), "-")
	for _, l := range languages {
		if l.Code == primary {
			return l.Name
		}
	}
	return code
}

// languageCode resolves the language param of GET /search: a Listen API name ("English", any
// case) or a code ("en", "pt-br"). It returns "" for "Any language" and ok=false for a name or
// code it does not know.
func languageCode(s string) (code string, ok bool) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, anyLanguage) {
		return "", true
	}
	lower := strings.ToLower(s)
	for _, l := range languages {
		if strings.EqualFold(l.Name, s) || l.Code == lower {
			return l.Code, true
		}
	}
	// A regional code such as "pt-br" of a language Hark knows.
	if primary, region, found := strings.Cut(lower, "-"); found && len(region) == 2 {
		for _, l := range languages {
			if l.Code == primary {
				return lower, true
			}
		}
	}
	return "", false
}
