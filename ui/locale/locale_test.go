package locale

import "testing"

func TestIsPlainC(t *testing.T) {
	for loc, want := range map[string]bool{
		"C": true, "C.UTF-8": true, "POSIX": true, "C.utf8": true,
		"": false, "en_US.UTF-8": false, "de_DE": false, "Chinese": false,
	} {
		if got := isPlainC(loc); got != want {
			t.Errorf("isPlainC(%q) = %v, want %v", loc, got, want)
		}
	}
}

func TestEffectiveFollowsGettextOrder(t *testing.T) {
	env := map[string]string{"LANG": "C.UTF-8", "LC_MESSAGES": "de_DE.UTF-8"}
	if got := effective(func(k string) string { return env[k] }); got != "de_DE.UTF-8" {
		t.Fatalf("effective = %q, want LC_MESSAGES", got)
	}
	env["LC_ALL"] = "C"
	if got := effective(func(k string) string { return env[k] }); got != "C" {
		t.Fatalf("effective = %q, want LC_ALL", got)
	}
}
