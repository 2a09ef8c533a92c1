// Package locale keeps Fyne from complaining about the C locale.
//
// Debian containers and servers often run with LANG=C.UTF-8. Fyne's lang
// package reads the locale while it initialises, cannot parse "C", and
// logs three "Fyne error" lines to stderr: noise on every headless
// command, and a broken "one line on stderr" promise for bad input. For
// such a locale Stillcast runs with LANGUAGE=en, which Fyne reads first
// and gettext ignores under the C locale, so nothing else changes.
//
// Fyne reads the locale in its package initialisation, and no order of
// Go's package initialisation can be relied on to come first (it follows
// import paths). So the environment is set before any Go code runs: a C
// constructor, which the C library runs before it calls the Go runtime's
// entry, sets LANGUAGE and executes the program again in the same process
// (runc's nsenter runs C before Go the same way). It is built on Linux
// with glibc, where the window is built with cgo; macOS and Windows do not
// read the locale from these variables, and a build without cgo has no
// window and no Fyne.
//
// main imports it for that side effect. It imports nothing of Stillcast.
package locale
