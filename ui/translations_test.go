package ui

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// translatedByValue are the functions that hand lang.L a key held in a
// variable: an encoder pattern or one of ffmpeg's hints, whose keys the
// test collects where they are written.
var translatedByValue = map[string]bool{"fieldErrorText": true, "errorText": true, "hintText": true, "failedRowText": true}

// windowKeys are every text the window translates, by where each is
// written: lang.L's literal or constant keys in ui, the patterns of the
// encoder's field errors and of picture.Load's errors, and ffmpeg's hints.
func windowKeys(t *testing.T) map[string]string {
	t.Helper()
	keys := map[string]string{} // key → where it is used
	ui := parseDir(t, ".")
	consts := stringConsts(ui)
	for name, f := range ui {
		ast.Inspect(f, func(n ast.Node) bool {
			fn, ok := n.(*ast.FuncDecl)
			if !ok {
				return true
			}
			ast.Inspect(fn, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || !isCall(call, "lang", "L", "X", "N") || len(call.Args) == 0 {
					return true
				}
				switch arg := call.Args[0].(type) {
				case *ast.BasicLit:
					keys[unquote(t, arg)] = name
				case *ast.Ident:
					if v, ok := consts[arg.Name]; ok {
						keys[v] = name
						return true
					}
					if !translatedByValue[fn.Name.Name] {
						t.Errorf("%s: %s: lang.L(%s) is not a string constant", name, fn.Name.Name, arg.Name)
					}
				default:
					if !translatedByValue[fn.Name.Name] {
						t.Errorf("%s: %s hands lang.L a key the test cannot read", name, fn.Name.Name)
					}
				}
				return true
			})
			return false
		})
	}
	patterns := func(dir, fn string, arg int) {
		for name, f := range parseDir(t, dir) {
			ast.Inspect(f, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok && isCall(call, "", fn) && len(call.Args) > arg {
					if lit, ok := call.Args[arg].(*ast.BasicLit); ok {
						keys[unquote(t, lit)] = filepath.Join(dir, name)
					}
				}
				return true
			})
		}
	}
	patterns("../encoder", "fieldErr", 1)
	patterns("../encoder/picture", "bad", 0)
	for name, f := range parseDir(t, "../encoder/ffmpeg") {
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok || len(vs.Names) != 1 || vs.Names[0].Name != "hints" {
				return true
			}
			for _, el := range vs.Values[0].(*ast.CompositeLit).Elts {
				hint := el.(*ast.CompositeLit).Elts[1].(*ast.BasicLit)
				keys[unquote(t, hint)] = filepath.Join("../encoder/ffmpeg", name)
			}
			return false
		})
	}
	return keys
}

// parseDir parses a package's files, its tests left out.
func parseDir(t *testing.T, dir string) map[string]*ast.File {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]*ast.File{}
	fset := token.NewFileSet()
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(name)] = f
	}
	return files
}

// stringConsts are the package's string constants, by name.
func stringConsts(files map[string]*ast.File) map[string]string {
	out := map[string]string{}
	for _, f := range files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, v := range vs.Values {
					if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						out[vs.Names[i].Name], _ = strconv.Unquote(lit.Value)
					}
				}
			}
		}
	}
	return out
}

// isCall reports whether call calls pkg.name (or name, with pkg "") for
// one of names.
func isCall(call *ast.CallExpr, pkg string, names ...string) bool {
	switch fn := call.Fun.(type) {
	case *ast.SelectorExpr:
		x, ok := fn.X.(*ast.Ident)
		return ok && pkg != "" && x.Name == pkg && slices.Contains(names, fn.Sel.Name)
	case *ast.Ident:
		return pkg == "" && slices.Contains(names, fn.Name)
	}
	return false
}

func unquote(t *testing.T, lit *ast.BasicLit) string {
	t.Helper()
	s, err := strconv.Unquote(lit.Value)
	if err != nil {
		t.Fatalf("%s: %v", lit.Value, err)
	}
	return s
}

func chineseTexts(t *testing.T) map[string]string {
	t.Helper()
	data, err := translations.ReadFile(chineseFile)
	if err != nil {
		t.Fatal(err)
	}
	var zh map[string]string
	if err := json.Unmarshal(data, &zh); err != nil {
		t.Fatalf("%s: %v", chineseFile, err)
	}
	return zh
}

// placeholders are a text's template fields and fmt verbs, which its
// translation must keep: {{.Name}}, %s, %[2]q.
var placeholders = regexp.MustCompile(`\{\{\.\w+\}\}|%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z]`)

func placeholderSet(text string) []string {
	found := placeholders.FindAllString(text, -1)
	for i, p := range found {
		found[i] = regexp.MustCompile(`\[\d+\]`).ReplaceAllString(p, "")
	}
	slices.Sort(found)
	return found
}

// Every text the window translates has a Simplified Chinese entry that
// keeps its placeholders, and the translation holds nothing else.
func TestChineseCoversEveryKey(t *testing.T) {
	keys, zh := windowKeys(t), chineseTexts(t)
	if len(keys) < 100 {
		t.Fatalf("found only %d keys: the search misses calls", len(keys))
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		v, ok := zh[k]
		switch {
		case !ok || strings.TrimSpace(v) == "":
			t.Errorf("%s: no zh_Hans entry for %q", keys[k], k)
		case !slices.Equal(placeholderSet(k), placeholderSet(v)):
			t.Errorf("%q: the translation %q has placeholders %v, want %v", k, v, placeholderSet(v), placeholderSet(k))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(zh)) {
		if _, used := keys[k]; !used {
			t.Errorf("zh_Hans entry %q is used nowhere", k)
		}
	}
}
