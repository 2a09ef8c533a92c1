package ui

import (
	"bytes"
	"os"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/go-text/typesetting/font"
)

// debianCJK is the collection fonts-noto-cjk installs, which make test
// installs with the test packages.
const debianCJK = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

func readCollection(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(debianCJK)
	if err != nil {
		t.Skipf("no CJK collection (install fonts-noto-cjk): %v", err)
	}
	return data
}

func extract(ttc []byte, family string) ([]byte, error) {
	return extractFace(bytes.NewReader(ttc), family)
}

// The Simplified Chinese face comes out of the collection as a font that
// parses on its own, with Chinese glyphs and its own family name.
func TestExtractFace(t *testing.T) {
	ttc := readCollection(t)
	otf, err := extract(ttc, "Noto Sans CJK SC")
	if err != nil {
		t.Fatal(err)
	}
	face, err := font.ParseTTF(bytes.NewReader(otf))
	if err != nil {
		t.Fatalf("the extracted face does not parse: %v", err)
	}
	for _, r := range "直播渲染aZ1" {
		if _, ok := face.NominalGlyph(r); !ok {
			t.Errorf("no glyph for %q", r)
		}
	}
	if desc := face.Describe(); desc.Family != "Noto Sans CJK SC" {
		t.Errorf("the extracted face is %q", desc.Family)
	}
	if _, err := extract(ttc, "Noto Sans CJK XX"); err == nil {
		t.Error("a family the collection lacks was found")
	}
	if _, err := extract(otf, "Noto Sans CJK SC"); err == nil {
		t.Error("a single font was taken for a collection")
	}
	if _, err := extract(ttc[:len(ttc)/1000], "Noto Sans CJK SC"); err == nil {
		t.Error("a cut collection was read")
	}
}

// A window that speaks Chinese draws its text with the system's Chinese
// face, bold too; monospace stays Fyne's.
func TestChineseFontTheme(t *testing.T) {
	readCollection(t)
	if !runInLocale(t, "TestChineseFontTheme", "LANG=zh_CN.UTF-8") {
		return
	}
	a := test.NewTempApp(t)
	LoadTranslations(a.Preferences())
	useChineseFont(a)
	th := a.Settings().Theme()
	if got := th.Font(fyne.TextStyle{}).Name(); got != "chinese-regular.otf" {
		t.Errorf("the text font is %q", got)
	}
	if got := th.Font(fyne.TextStyle{Bold: true}).Name(); got != "chinese-bold.otf" {
		t.Errorf("the bold font is %q", got)
	}
	if got := th.Font(fyne.TextStyle{Monospace: true}).Name(); got == "chinese-regular.otf" {
		t.Errorf("monospace is %q", got)
	}
}

// An English window keeps Fyne's fonts.
func TestEnglishKeepsFyneFonts(t *testing.T) {
	a := test.NewTempApp(t)
	before := a.Settings().Theme()
	useChineseFont(a)
	if a.Settings().Theme() != before {
		t.Error("an English window changed its theme")
	}
}
