// Package locale keeps Fyne from complaining about the C locale.
//
// Debian containers and servers often run with LANG=C.UTF-8. Fyne's lang
// package reads the locale while it initialises, cannot parse "C", and
// logs three "Fyne error" lines to stderr: noise on every headless
// command, and a broken "one line on stderr" promise for bad input. For
// such a locale this package sets LANGUAGE=en, which Fyne reads first and
// gettext ignores under the C locale, so nothing else changes.
//
// main imports it for that side effect. It must run before Fyne's init,
// and it does: Go initialises packages in import-path order as soon as
// their imports are ready (Go spec, "Package initialization"), this path
// sorts before golang.org/x/text, and Fyne's lang package needs x/text.
package locale

import (
	"os"
	"strings"
)

func init() {
	if os.Getenv("LANGUAGE") == "" && isPlainC(effective(os.Getenv)) {
		os.Setenv("LANGUAGE", "en")
	}
}

// effective is the locale gettext uses for messages.
func effective(getenv func(string) string) string {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			return v
		}
	}
	return ""
}

// isPlainC reports whether loc is the C or POSIX locale, with or without
// an encoding ("C.UTF-8").
func isPlainC(loc string) bool {
	base, _, _ := strings.Cut(loc, ".")
	return base == "C" || base == "POSIX"
}
