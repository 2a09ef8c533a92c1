package ui

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"unicode/utf16"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
)

// Fyne's own font has no Chinese glyphs. For them it looks up a system
// font by itself, but fontscan picks the first CJK family, which is the
// Japanese cut of Noto Sans CJK: its 直 and 骨 are Japanese forms. So a
// Chinese window takes the Simplified Chinese face of the system's CJK
// collection as its text font. The system ships these as collections
// (.ttc), which Fyne cannot read, so the face is copied out of the
// collection into a font of its own, in memory: nothing is embedded.

// chineseFont is a system font collection and its Simplified Chinese face.
type chineseFont struct {
	regular, bold string // paths of .ttc files; bold may be ""
	family        string // the face's family name in them
}

// chineseFonts are where each system keeps a Simplified Chinese font.
func chineseFonts() []chineseFont {
	switch runtime.GOOS {
	case "windows":
		dir := filepath.Join(os.Getenv("WINDIR"), "Fonts")
		return []chineseFont{{filepath.Join(dir, "msyh.ttc"), filepath.Join(dir, "msyhbd.ttc"), "Microsoft YaHei"}}
	case "darwin":
		return []chineseFont{{"/System/Library/Fonts/PingFang.ttc", "", "PingFang SC"}}
	}
	var out []chineseFont
	for _, dir := range []string{"/usr/share/fonts/opentype/noto", "/usr/share/fonts/noto-cjk", "/usr/share/fonts/google-noto-cjk"} {
		out = append(out, chineseFont{filepath.Join(dir, "NotoSansCJK-Regular.ttc"), filepath.Join(dir, "NotoSansCJK-Bold.ttc"), "Noto Sans CJK SC"})
	}
	return out
}

// loadChineseFont finds the first of fonts on the system and returns its
// Simplified Chinese face, regular and bold (nil when there is none).
func loadChineseFont(fonts []chineseFont) (regular, bold fyne.Resource, err error) {
	for _, f := range fonts {
		regular, err = faceResource(f.regular, f.family, "chinese-regular.otf")
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		bold, _ = faceResource(f.bold, f.family, "chinese-bold.otf") // without it, bold is drawn regular
		return regular, bold, nil
	}
	return nil, nil, os.ErrNotExist
}

func faceResource(path, family, name string) (fyne.Resource, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	face, err := extractFace(f, family)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return fyne.NewStaticResource(name, face), nil
}

// maxTable is more than any table of a real font: a damaged collection
// cannot make Stillcast allocate gigabytes.
const maxTable = 64 << 20

// table is where one table of a face lies in its collection.
type table struct {
	tag         string
	off, length int64
}

// extractFace copies the face called family out of a font collection
// (OpenType's TTC format) into a font file of its own: the same tables,
// laid out one after the other. It reads only that face's tables, not
// the whole collection.
func extractFace(ttc io.ReaderAt, family string) ([]byte, error) {
	head := make([]byte, 12)
	if _, err := ttc.ReadAt(head, 0); err != nil || string(head[:4]) != "ttcf" {
		return nil, errors.New("not a font collection")
	}
	n := int64(binary.BigEndian.Uint32(head[8:]))
	for i := int64(0); i < n; i++ {
		var dir [4]byte
		if _, err := ttc.ReadAt(dir[:], 12+4*i); err != nil {
			return nil, fmt.Errorf("reading face %d: %w", i, err)
		}
		version, tables, err := tableDirectory(ttc, int64(binary.BigEndian.Uint32(dir[:])))
		if err != nil {
			return nil, err
		}
		for _, t := range tables {
			if t.tag != "name" {
				continue
			}
			name := make([]byte, t.length)
			if _, err := ttc.ReadAt(name, t.off); err != nil {
				return nil, fmt.Errorf("reading face %d's names: %w", i, err)
			}
			if hasFamily(name, family) {
				return buildFont(ttc, version, tables)
			}
		}
	}
	return nil, fmt.Errorf("no face %q in the collection", family)
}

// tableDirectory reads the header and table records of the face whose
// directory is at dir.
func tableDirectory(ttc io.ReaderAt, dir int64) ([]byte, []table, error) {
	head := make([]byte, 12)
	if _, err := ttc.ReadAt(head, dir); err != nil {
		return nil, nil, fmt.Errorf("reading a face's tables: %w", err)
	}
	records := make([]byte, 16*int(binary.BigEndian.Uint16(head[4:])))
	if _, err := ttc.ReadAt(records, dir+12); err != nil {
		return nil, nil, fmt.Errorf("reading a face's tables: %w", err)
	}
	tables := make([]table, 0, len(records)/16)
	for r := 0; r < len(records); r += 16 {
		t := table{
			tag:    string(records[r : r+4]),
			off:    int64(binary.BigEndian.Uint32(records[r+8:])),
			length: int64(binary.BigEndian.Uint32(records[r+12:])),
		}
		if t.length > maxTable {
			return nil, nil, fmt.Errorf("the %s table claims %d bytes", t.tag, t.length)
		}
		tables = append(tables, t)
	}
	return head[:4], tables, nil
}

// hasFamily reports whether a name table calls its font family, in one of
// its Windows (UTF-16) family names.
func hasFamily(name []byte, family string) bool {
	if len(name) < 6 {
		return false
	}
	count, store := int(binary.BigEndian.Uint16(name[2:])), int(binary.BigEndian.Uint16(name[4:]))
	for k := 0; k < count && 6+12*k+12 <= len(name); k++ {
		r := name[6+12*k:]
		platform, id := binary.BigEndian.Uint16(r), binary.BigEndian.Uint16(r[6:])
		length, off := int(binary.BigEndian.Uint16(r[8:])), int(binary.BigEndian.Uint16(r[10:]))
		if platform != 3 || id != 1 || store+off+length > len(name) {
			continue
		}
		raw := name[store+off : store+off+length]
		units := make([]uint16, len(raw)/2)
		for u := range units {
			units[u] = binary.BigEndian.Uint16(raw[2*u:])
		}
		if string(utf16.Decode(units)) == family {
			return true
		}
	}
	return false
}

// buildFont lays a face's tables out as one font file with version's
// header, reading each from the collection.
func buildFont(ttc io.ReaderAt, version []byte, tables []table) ([]byte, error) {
	sort.Slice(tables, func(i, j int) bool { return tables[i].tag < tables[j].tag }) // records go by tag
	entry := 0
	for 1<<(entry+1) <= len(tables) {
		entry++
	}
	search := 16 << entry
	var b bytes.Buffer
	b.Write(version)
	for _, v := range []int{len(tables), search, entry, 16*len(tables) - search} {
		_ = binary.Write(&b, binary.BigEndian, uint16(v))
	}
	data := make([][]byte, len(tables))
	off := int64(12 + 16*len(tables))
	for i, t := range tables {
		data[i] = make([]byte, t.length)
		if _, err := ttc.ReadAt(data[i], t.off); err != nil {
			return nil, fmt.Errorf("reading the %s table: %w", t.tag, err)
		}
		b.WriteString(t.tag)
		_ = binary.Write(&b, binary.BigEndian, [3]uint32{checksum(data[i]), uint32(off), uint32(t.length)})
		off += (t.length + 3) &^ 3
	}
	for _, d := range data {
		b.Write(d)
		b.Write(make([]byte, (4-len(d)%4)%4))
	}
	return b.Bytes(), nil
}

func checksum(t []byte) uint32 {
	var sum uint32
	for i := 0; i < len(t); i += 4 {
		var w [4]byte
		copy(w[:], t[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

// chineseTheme is Fyne's theme with a Chinese face for text; monospace
// and symbols stay Fyne's.
type chineseTheme struct {
	fyne.Theme
	regular, bold fyne.Resource
}

func (t *chineseTheme) Font(style fyne.TextStyle) fyne.Resource {
	switch {
	case style.Monospace || style.Symbol:
		return t.Theme.Font(style)
	case style.Bold && t.bold != nil:
		return t.bold
	}
	return t.regular
}

// useChineseFont gives a window that speaks Chinese the system's
// Simplified Chinese face. Without one, Fyne's own lookup stays.
func useChineseFont(a fyne.App) {
	if !speaksChinese() {
		return
	}
	regular, bold, err := loadChineseFont(chineseFonts())
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			fyne.LogError("the Chinese font cannot be read", err)
		}
		return
	}
	a.Settings().SetTheme(&chineseTheme{Theme: theme.DefaultTheme(), regular: regular, bold: bold})
}

// speaksChinese reports whether the window's texts are Chinese.
func speaksChinese() bool {
	zh, err := translationOf(languageChinese)
	return err == nil && lang.L("Render") == zh["Render"]
}
