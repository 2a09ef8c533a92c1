package picture

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
)

// Fonts are the typefaces a card is drawn with: Go Bold, bundled, first,
// then fallbacks for the letters it lacks (Go Bold covers Latin, Greek
// and Cyrillic; a system CJK font adds Chinese, Japanese and Korean). A
// letter no font has is left out rather than drawn as an empty box.
// Fonts are safe for concurrent use; Close releases the files they read.
type Fonts struct {
	fonts []*sfnt.Font
	files []*os.File
}

// NewFonts returns Go Bold followed by the fallback font files at paths,
// in order: TrueType or OpenType, or a collection (.ttc), of which the
// Simplified Chinese face is taken when there is one. A file is read as
// glyphs are needed, not held in memory: a CJK font is 20 MB.
func NewFonts(paths ...string) (*Fonts, error) {
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, fmt.Errorf("the bundled Go Bold font: %w", err)
	}
	f := &Fonts{fonts: []*sfnt.Font{bold}}
	for _, path := range paths {
		if err := f.add(path); err != nil {
			f.Close()
			return nil, err
		}
	}
	return f, nil
}

// SystemFonts returns Go Bold with the first font of
// FallbackFontPaths that opens and parses, or Go Bold alone when none
// does: cards then leave out the letters it lacks.
func SystemFonts() (*Fonts, error) {
	for _, path := range FallbackFontPaths(runtime.GOOS, os.Getenv) {
		if f, err := NewFonts(path); err == nil {
			return f, nil
		}
	}
	return NewFonts()
}

// FallbackFontPaths lists where a CJK font is commonly installed on goos
// (Noto Sans CJK on Linux, PingFang or Heiti on macOS, YaHei or SimHei
// on Windows, found through WINDIR), bold faces first; only those that
// exist.
func FallbackFontPaths(goos string, getenv func(string) string) []string {
	var candidates []string
	switch goos {
	case "windows":
		dir := filepath.Join(getenv("WINDIR"), "Fonts")
		if getenv("WINDIR") == "" {
			dir = `C:\Windows\Fonts`
		}
		for _, name := range []string{"msyhbd.ttc", "msyh.ttc", "simhei.ttf", "malgunbd.ttf", "YuGothB.ttc"} {
			candidates = append(candidates, filepath.Join(dir, name))
		}
	case "darwin":
		candidates = []string{"/System/Library/Fonts/STHeiti Medium.ttc", "/System/Library/Fonts/PingFang.ttc",
			"/System/Library/Fonts/Hiragino Sans GB.ttc", "/Library/Fonts/Arial Unicode.ttf"}
	default:
		for _, dir := range []string{"/usr/share/fonts/opentype/noto", "/usr/share/fonts/noto-cjk",
			"/usr/share/fonts/google-noto-cjk", "/usr/share/fonts/opentype/noto-cjk"} {
			for _, name := range []string{"NotoSansCJK-Bold.ttc", "NotoSansCJK-Regular.ttc"} {
				candidates = append(candidates, filepath.Join(dir, name))
			}
		}
		candidates = append(candidates, "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
			"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
	}
	var found []string
	for _, path := range candidates {
		if info, err := os.Stat(path); err == nil && info.Mode().IsRegular() {
			found = append(found, path)
		}
	}
	return found
}

// add opens the font file at path and appends it as a fallback.
func (f *Fonts) add(path string) error {
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("font: %w", err) // the error names the file
	}
	fnt, err := parseFontFile(file)
	if err != nil {
		file.Close()
		return fmt.Errorf("font %s: not a usable TrueType or OpenType font: %w", filepath.Base(path), err)
	}
	f.fonts = append(f.fonts, fnt)
	f.files = append(f.files, file)
	return nil
}

// parseFontFile reads a single font or a collection, from which it takes
// the first face whose family names Simplified Chinese (" SC"), else the
// first face.
func parseFontFile(file *os.File) (*sfnt.Font, error) {
	c, err := sfnt.ParseCollectionReaderAt(file)
	if err != nil {
		return nil, err
	}
	var buf sfnt.Buffer
	first, err := c.Font(0)
	if err != nil {
		return nil, err
	}
	for i := 1; i < c.NumFonts(); i++ {
		fnt, err := c.Font(i)
		if err != nil {
			continue
		}
		if name, _ := fnt.Name(&buf, sfnt.NameIDFamily); strings.HasSuffix(name, " SC") {
			return fnt, nil
		}
	}
	return first, nil
}

// Close releases the fallback font files. Fonts are not used after.
func (f *Fonts) Close() error {
	var errs []error
	for _, file := range f.files {
		errs = append(errs, file.Close())
	}
	f.files = nil
	return errors.Join(errs...)
}

// faces are Fonts at one pixel size, for one drawing: font.Face is not
// safe for concurrent use.
type faces struct {
	faces []font.Face
	fonts []*sfnt.Font
	buf   sfnt.Buffer
}

// at returns the fonts as faces of size px, unhinted so that a line
// measures the same at every position.
func (f *Fonts) at(px float64) *faces {
	fs := &faces{}
	for _, fnt := range f.fonts {
		// NewFace fails only on options other than these.
		if face, err := opentype.NewFace(fnt, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingNone}); err == nil {
			fs.faces, fs.fonts = append(fs.faces, face), append(fs.fonts, fnt)
		}
	}
	return fs
}

// faceOf is the index of the first face that has a glyph for r, or -1.
func (fs *faces) faceOf(r rune) int {
	for i, fnt := range fs.fonts {
		if x, err := fnt.GlyphIndex(&fs.buf, r); err == nil && x != 0 {
			return i
		}
	}
	return -1
}
