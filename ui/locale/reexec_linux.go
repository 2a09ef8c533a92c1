//go:build linux && cgo

package locale

/*
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// stillcast_plain_c reports whether loc is the C or POSIX locale, with or
// without an encoding ("C.UTF-8").
static int stillcast_plain_c(const char *loc) {
	size_t n = strcspn(loc, ".");
	return (n == 1 && strncmp(loc, "C", 1) == 0) || (n == 5 && strncmp(loc, "POSIX", 5) == 0);
}

// stillcast_effective_locale is the locale gettext uses for messages.
static const char *stillcast_effective_locale(void) {
	const char *names[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (int i = 0; i < 3; i++) {
		const char *v = getenv(names[i]);
		if (v != NULL && v[0] != '\0') {
			return v;
		}
	}
	return "";
}

#ifdef __GLIBC__
// stillcast_fix_locale runs before the Go runtime starts. Under a C
// locale with an encoding and no LANGUAGE, it sets LANGUAGE=en and runs
// the program again, same process, so that Go, and Fyne's package
// initialisation, see it from the start. Plain "C" and "POSIX" need
// nothing: Fyne understands them. If the program cannot be run again, it
// goes on: the cost is three lines of noise on stderr.
__attribute__((constructor)) static void stillcast_fix_locale(int argc, char **argv, char **envp) {
	(void)argc;
	(void)envp;
	const char *language = getenv("LANGUAGE");
	if (language != NULL && language[0] != '\0') {
		return;
	}
	const char *loc = stillcast_effective_locale();
	if (!stillcast_plain_c(loc) || strcmp(loc, "C") == 0 || strcmp(loc, "POSIX") == 0) {
		return;
	}
	if (setenv("LANGUAGE", "en", 1) != 0) {
		return;
	}
	execv("/proc/self/exe", argv);
}
#endif
*/
import "C"

import "unsafe"

// isPlainC is the constructor's own test of a locale, for Go's tests.
func isPlainC(loc string) bool {
	c := C.CString(loc)
	defer C.free(unsafe.Pointer(c))
	return C.stillcast_plain_c(c) != 0
}
