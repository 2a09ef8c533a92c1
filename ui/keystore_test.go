package ui

import (
	"encoding/json"
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

func TestKeyStoreReplacesACorruptFile(t *testing.T) {
	for _, broken := range []string{"secret-key-text{", "", "[1, 2]", "null", `{"YouTube": 5}`} {
		k := &keyStore{path: filepath.Join(t.TempDir(), keyFileName)}
		if err := os.WriteFile(k.path, []byte(broken), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := k.SetKey("Twitch", ""); err != nil {
			t.Errorf("%q: forgetting a key of a broken file: %v", broken, err)
		}
		if err := k.SetKey("YouTube", "abcd-1234"); err != nil {
			t.Errorf("%q: saving a key over a broken file: %v", broken, err)
			continue
		}
		data, err := os.ReadFile(k.path)
		var keys map[string]string
		if err != nil || json.Unmarshal(data, &keys) != nil || len(keys) != 1 || keys["YouTube"] != "abcd-1234" {
			t.Errorf("%q: the file now holds %q (%v)", broken, data, err)
		}
		if info, err := os.Stat(k.path); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("%q: the new file is %v (%v), want 0600", broken, info.Mode().Perm(), err)
		}
		if key, err := k.Key("YouTube"); key != "abcd-1234" || err != nil {
			t.Errorf("%q: read back %q, %v", broken, key, err)
		}
	}
}

func TestKeyStoreSavingShowsAndClearsTheBrokenFile(t *testing.T) {
	h := newHarness(t)
	if err := os.MkdirAll(filepath.Dir(h.live.keys.path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(h.live.keys.path, []byte("{broken"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.form.outputMode.SetSelected(outputLive)
	h.live.remember.Checked = true
	h.live.loadKey()
	if !h.live.keyError.Visible() || !strings.Contains(h.live.keyError.Text, "replaced when a key is saved") {
		t.Errorf("a broken key file says %q (shown %v)", h.live.keyError.Text, h.live.keyError.Visible())
	}
	h.setText(h.live.key, "typed-key")
	if h.live.keyError.Visible() {
		t.Errorf("after saving a key the window still says %q", h.live.keyError.Text)
	}
	if key, err := h.live.keys.Key("YouTube"); key != "typed-key" || err != nil {
		t.Errorf("remembered %q, %v", key, err)
	}
}

func TestRememberKey(t *testing.T) {
	h := newHarness(t)
	h.form.outputMode.SetSelected(outputLive)
	h.setText(h.live.key, "typed-key")
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
}

func TestRememberedKeyComesBackPerService(t *testing.T) {
	h := newHarness(t)
	h.form.outputMode.SetSelected(outputLive)
	h.live.remember.SetChecked(true)
	h.setText(h.live.key, "yt-key")
	h.setText(h.live.key2, "second-key")
	h.live.service.SetSelected("Twitch")
	if h.live.key.Text != "" {
		t.Errorf("Twitch got the YouTube key")
	}
	h.setText(h.live.key, "tw-key")
	h.live.service.SetSelected("YouTube")
	if h.live.key.Text != "yt-key" {
		t.Errorf("YouTube's key came back as %q", h.live.key.Text)
	}
	// A new window remembers it too, and nothing but the key store holds it.
	again := newLivePanel(h.prefs, h.live.keys, func() {})
	if again.key.Text != "yt-key" || again.key2.Text != "second-key" || !again.remember.Checked {
		t.Errorf("a new window has keys %q and %q, remember %v", again.key.Text, again.key2.Text, again.remember.Checked)
	}
	h.live.remember.SetChecked(false)
	for _, name := range []string{"YouTube", secondKeyName} {
		if key, _ := h.live.keys.Key(name); key != "" {
			t.Errorf("unticking Remember key kept the key of %s", name)
		}
	}
	for _, k := range []string{prefImage, prefImageDir, prefOutputDir, prefOutputMode, prefSize, prefFit, prefBackground,
		prefDuration, prefFPS, prefPreset, prefLiveDuration, prefLiveService, prefLiveServer, prefLiveCustomServer, prefLiveBitrate, prefLiveServer2} {
		if v := h.prefs.String(k); strings.Contains(v, "yt-key") || strings.Contains(v, "tw-key") || strings.Contains(v, "second-key") {
			t.Errorf("preference %s holds a stream key", k)
		}
	}
}
