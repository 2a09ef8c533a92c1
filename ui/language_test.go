package ui

import (
	"encoding/json"
	"go/build"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
)

// childEnv marks the test binary run again with another locale: Fyne's
// lang chooses its language once per process, for the whole package.
const childEnv = "STILLCAST_TEST_LOCALE_CHILD"

// runInLocale runs the test named name again in a child process with the
// environment env, and fails with its output if it fails. It reports
// whether this is the child, which then does the work.
func runInLocale(t *testing.T, name string, env ...string) bool {
	t.Helper()
	if os.Getenv(childEnv) == name {
		return true
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$", "-test.count=1", "-test.v")
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); !slices.Contains([]string{"LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"}, k) {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, append(env, childEnv+"="+name)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s in %v: %v\n%s", name, env, err, out)
	}
	if !strings.Contains(string(out), "--- PASS: "+name) {
		t.Fatalf("%s in %v did not run:\n%s", name, env, out)
	}
	return false
}

// languageCase runs in a child: the Language preference set to choice
// under the child's locale makes the window speak want.
func languageCase(t *testing.T, choice, render string) {
	t.Helper()
	var logged strings.Builder
	log.SetOutput(&logged)
	defer log.SetOutput(os.Stderr)
	a := test.NewTempApp(t)
	a.Preferences().SetString(prefLanguage, choice)
	LoadTranslations(a.Preferences())
	if got := lang.L("Render"); got != render {
		t.Errorf(`with the preference %q, lang.L("Render") = %q, want %q`, choice, got, render)
	}
	h := newHarnessFor(t, a)
	if got := h.renderButton.Text; got != render {
		t.Errorf("the button says %q, want %q", got, render)
	}
	if strings.Contains(logged.String(), "Translation failure") {
		t.Errorf("texts were missing in the language Fyne chose:\n%s", logged.String())
	}
}

// The preference overrides an English system's locale, through LANGUAGE,
// which also picks the font Fyne looks up for the language.
func TestLanguageChineseOnEnglishSystem(t *testing.T) {
	if runInLocale(t, "TestLanguageChineseOnEnglishSystem", "LANG=en_US.UTF-8") {
		languageCase(t, languageChinese, "渲染")
		if got := lang.SystemLocale().LanguageString(); got != "zh-CN" {
			t.Errorf("Fyne's system locale is %q, want zh-CN for its font lookup", got)
		}
	}
}

// Where LANGUAGE is not read (LC_ALL=C here, Windows and macOS always),
// the chosen texts are added as the system language's.
func TestLanguageChineseWhereLanguageIsIgnored(t *testing.T) {
	if runInLocale(t, "TestLanguageChineseWhereLanguageIsIgnored", "LC_ALL=C") {
		languageCase(t, languageChinese, "渲染")
	}
}

func TestLanguageEnglishOnChineseSystem(t *testing.T) {
	if runInLocale(t, "TestLanguageEnglishOnChineseSystem", "LANG=zh_CN.UTF-8") {
		languageCase(t, languageEnglish, "Render")
	}
}

func TestLanguageAutomaticFollowsTheSystem(t *testing.T) {
	if runInLocale(t, "TestLanguageAutomaticFollowsTheSystem", "LANG=zh_CN.UTF-8") {
		languageCase(t, languageAuto, "渲染")
	}
}

// Choosing a language in the menu keeps it for the next start and says so.
func TestLanguageMenuKeepsTheChoice(t *testing.T) {
	h := newHarness(t)
	menu := h.win.MainMenu().Items[len(h.win.MainMenu().Items)-1]
	var chinese *fyne.MenuItem
	for _, it := range menu.Items {
		if it.Label == "简体中文" {
			chinese = it
		}
		if it.Checked != (it.Label == "Automatic (as the system)") {
			t.Errorf("%q checked: %v", it.Label, it.Checked)
		}
	}
	if chinese == nil {
		t.Fatalf("no 简体中文 in the %q menu", menu.Label)
	}
	chinese.Action()
	if got := h.prefs.String(prefLanguage); got != languageChinese {
		t.Errorf("the preference is %q, want %q", got, languageChinese)
	}
	if !strings.Contains(overlayText(t, h.win.Canvas()), "next start") {
		t.Errorf("no word of the next start: %q", overlayText(t, h.win.Canvas()))
	}
	menu = h.win.MainMenu().Items[len(h.win.MainMenu().Items)-1]
	for _, it := range menu.Items {
		if it.Checked != (it.Label == "简体中文") {
			t.Errorf("after the choice, %q checked: %v", it.Label, it.Checked)
		}
	}
}

// A language Fyne speaks and the window does not gets the window in
// English, Fyne's own words in that language, and no missing text logged.
func TestLanguageGermanSystem(t *testing.T) {
	if runInLocale(t, "TestLanguageGermanSystem", "LANG=de_DE.UTF-8") {
		languageCase(t, languageAuto, "Render")
		if got := lang.L("Confirm"); got != "Bestätigen" {
			t.Errorf(`Fyne's own "Confirm" is %q, want its German`, got)
		}
	}
}

// Where $LANGUAGE is not read (Windows, macOS), a forced language's
// texts are added as the system language's: here Chinese on a German
// system, after the start-up's English, and Fyne's own words stay German.
func TestLanguageAddedAsTheSystemLanguage(t *testing.T) {
	if runInLocale(t, "TestLanguageAddedAsTheSystemLanguage", "LANG=de_DE.UTF-8") {
		LoadTranslations(test.NewTempApp(t).Preferences())
		texts, err := translationOf(languageChinese)
		if err != nil {
			t.Fatal(err)
		}
		data, err := json.Marshal(texts)
		if err != nil {
			t.Fatal(err)
		}
		if err := addAsLanguage(data, "de"); err != nil {
			t.Fatal(err)
		}
		if got := lang.L("Render"); got != "渲染" {
			t.Errorf(`lang.L("Render") = %q after adding Chinese as German`, got)
		}
		if got := lang.L("Confirm"); got != "Bestätigen" {
			t.Errorf(`Fyne's own "Confirm" is %q, want its German`, got)
		}
	}
}

// fyneLanguages lists the translations Fyne brings, so that texts added as
// a language land where Fyne looks for it.
func TestFyneLanguagesMatchFyne(t *testing.T) {
	pkg, err := build.Import("fyne.io/fyne/v2/lang", ".", build.FindOnly)
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(pkg.Dir, "translations", "base.*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no translations in %s: %v", pkg.Dir, err)
	}
	var got []string
	for _, f := range files {
		got = append(got, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "base."), ".json"))
	}
	slices.Sort(got)
	if !slices.Equal(got, fyneLanguages) {
		t.Errorf("Fyne's translations are %v, fyneLanguages %v", got, fyneLanguages)
	}
}
