package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestKeyStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "stillcast")
	k := &keyStore{path: filepath.Join(dir, keyFileName)}
	if key, err := k.Key("YouTube"); key != "" || err != nil {
		t.Fatalf("empty store: %q, %v", key, err)
	}
	if err := k.SetKey("YouTube", "abcd-1234"); err != nil {
		t.Fatal(err)
	}
	if err := k.SetKey("Twitch", "live_999"); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(k.path)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v", err, info.Mode().Perm())
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v, want 0700", info.Mode().Perm())
	}
	if key, _ := k.Key("YouTube"); key != "abcd-1234" {
		t.Errorf("YouTube key = %q", key)
	}

	if err := k.SetKey("YouTube", ""); err != nil {
		t.Fatal(err)
	}
	if key, _ := k.Key("YouTube"); key != "" {
		t.Error("a forgotten key is still there")
	}
	if err := k.SetKey("Twitch", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(k.path); !os.IsNotExist(err) {
		t.Error("the file stays after the last key was forgotten")
	}

	if err := os.WriteFile(k.path, []byte("secret-key-text{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Key("YouTube"); err == nil || strings.Contains(err.Error(), "secret-key-text") {
		t.Errorf("a broken file gives %v; it must fail without echoing the file", err)
	}
}

func TestRememberKey(t *testing.T) {
	h := newHarness(t)
	h.form.outputMode.SetSelected(outputLive)
	setText(h.live.key, "typed-key")
	if _, err := os.Stat(h.live.keys.path); !os.IsNotExist(err) {
		t.Fatal("the key was saved without Remember key")
	}
	test := h.live.remember
	test.SetChecked(true)
	if key, _ := h.live.keys.Key("YouTube"); key != "typed-key" {
		t.Errorf("remembered %q", key)
	}
	test.SetChecked(false)
	if key, _ := h.live.keys.Key("YouTube"); key != "" {
		t.Error("unticking Remember key kept the key")
	}
	h.onRenderTapped()
	if text := overlayText(t, h.win.Canvas()); !strings.Contains(text, "next release") {
		t.Errorf("Go Live says %q", text)
	}
}
