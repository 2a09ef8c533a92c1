package ui

import (
	"embed"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
)

// The window's texts are English in the code, the keys of Fyne's lang;
// translations/ holds the other languages, one JSON file each, named by
// the language tag Fyne's own translations use ("zh_Hans" for Simplified
// Chinese, which zh_CN and zh_SG match).
//
//go:embed translations
var translations embed.FS

// The Language preference's values.
const (
	languageAuto    = ""        // follow the system's locale
	languageEnglish = "en"      // English whatever the system says
	languageChinese = "zh_Hans" // Simplified Chinese whatever the system says
)

// languageEnv is what each forced language sets $LANGUAGE to: gettext's
// list of languages, which Fyne reads (through go-locale) before LANG on
// Linux and the BSDs, for its own texts and for the system font it picks
// for the language's glyphs.
var languageEnv = map[string]string{languageEnglish: "en", languageChinese: "zh_CN"}

// chineseFile is the Simplified Chinese translation.
const chineseFile = "translations/zh_Hans.json"

// LoadTranslations sets the window's language, once, before the window is
// built: the Language preference's when it names one, else the system's.
func LoadTranslations(p fyne.Preferences) {
	if err := useLanguage(p.String(prefLanguage)); err != nil {
		fyne.LogError("the window's translations cannot be loaded", err)
	}
}

// useLanguage loads the translations so that lang.L speaks choice, or the
// system's language for languageAuto.
//
// Fyne's lang has no setter for the language: it matches its translations
// against the system's locale each time translations are added. So a
// forced language goes into $LANGUAGE first, which covers Fyne's own
// texts too. Where the system's locale does not come from the environment
// (Windows, macOS, or LC_ALL=C), the chosen language's texts are added as
// the system language's instead: the window then speaks the choice, and
// only Fyne's own few words (a dialog's OK) stay the system's.
//
// A system language that Fyne speaks and the window does not (German,
// say) gets the English texts as its own: Fyne then finds every text in
// the language it matched, rather than logging each one as missing.
func useLanguage(choice string) error {
	env, forced := languageEnv[choice]
	if forced {
		if err := os.Setenv("LANGUAGE", env); err != nil {
			return fmt.Errorf("setting LANGUAGE: %w", err)
		}
	}
	if err := lang.AddTranslationsFS(translations, "translations"); err != nil {
		return fmt.Errorf("reading the translations: %w", err)
	}
	system := baseLanguage(string(lang.SystemLocale()))
	if !forced {
		choice = languageEnglish
		if system == languageEnglish || system == baseLanguage(languageChinese) || !slices.ContainsFunc(fyneLanguages, sameLanguage(system)) {
			return nil // the window speaks it, or Fyne falls back to English
		}
	} else if system == baseLanguage(choice) {
		return nil // Fyne read $LANGUAGE
	}
	texts, err := translationOf(choice)
	if err != nil {
		return err
	}
	data, err := json.Marshal(texts)
	if err != nil {
		return fmt.Errorf("translations: %w", err)
	}
	return addAsLanguage(data, system)
}

// fyneLanguages are the translations Fyne v2.7.1 brings for its own
// texts (fyne.io/fyne/v2/lang/translations), by file name.
var fyneLanguages = []string{"cs", "de", "el", "en", "es", "fr", "pl", "pt", "pt_BR", "ru", "sv", "ta", "uk", "zh_Hans"}

// addAsLanguage adds the texts in data as language base's: as each of
// Fyne's translations for it, so whichever Fyne matches has them, or as
// English, Fyne's fallback, when Fyne has none.
func addAsLanguage(data []byte, base string) error {
	var tags []string
	for _, tag := range fyneLanguages {
		if sameLanguage(base)(tag) {
			tags = append(tags, tag)
		}
	}
	if len(tags) == 0 {
		tags = []string{languageEnglish}
	}
	for _, tag := range tags {
		if err := lang.AddTranslationsForLocale(data, fyne.Locale(tag)); err != nil {
			return fmt.Errorf("adding the texts as %s: %w", tag, err)
		}
	}
	return nil
}

// baseLanguage is the language of a locale or tag without its region or
// script: "zh" for zh-CN and zh_Hans.
func baseLanguage(locale string) string {
	base, _, _ := strings.Cut(strings.ReplaceAll(locale, "_", "-"), "-")
	return strings.ToLower(base)
}

func sameLanguage(base string) func(string) bool {
	return func(tag string) bool { return baseLanguage(tag) == base }
}

// translationOf is every text of the window in language choice, by key.
// English is the keys themselves.
func translationOf(choice string) (map[string]string, error) {
	data, err := translations.ReadFile(chineseFile)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", chineseFile, err)
	}
	var zh map[string]string
	if err := json.Unmarshal(data, &zh); err != nil {
		return nil, fmt.Errorf("%s: %w", chineseFile, err)
	}
	if choice == languageChinese {
		return zh, nil
	}
	en := make(map[string]string, len(zh))
	for k := range zh {
		en[k] = k
	}
	return en, nil
}

// languageMenu offers the languages, each in its own words, and keeps the
// choice for the next start: the window's texts are made once.
func (m *mainWindow) languageMenu() *fyne.Menu {
	current := m.prefs.String(prefLanguage)
	item := func(label, choice string) *fyne.MenuItem {
		return &fyne.MenuItem{Label: label, Checked: choice == current, Action: func() { m.chooseLanguage(choice) }}
	}
	return fyne.NewMenu(lang.L("Language"),
		item(lang.L("Automatic (as the system)"), languageAuto),
		item("English", languageEnglish),
		item("简体中文", languageChinese),
	)
}

func (m *mainWindow) chooseLanguage(choice string) {
	if choice == m.prefs.String(prefLanguage) {
		return
	}
	m.prefs.SetString(prefLanguage, choice)
	m.win.SetMainMenu(m.menu())
	dialog.ShowInformation(lang.L("Language"), lang.L("Stillcast speaks the new language from its next start."), m.win)
}
