package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/stillcast/stillcast/encoder"
)

func TestURLSecrets(t *testing.T) {
	cases := []struct {
		raw, shown, public string
		secret             bool
	}{
		{"rtmp://live.example.com/app", "rtmp://live.example.com/app", "rtmp://live.example.com/app", false},
		{"rtmp://bob:pa55@live.example.com/app", "rtmp://[hidden]@live.example.com/app", "rtmp://live.example.com/app", true},
		{"rtmp://live.example.com/app?token=s3cret&x=1", "rtmp://live.example.com/app?token=[hidden]&x=[hidden]", "rtmp://live.example.com/app", true},
		{"rtmps://u@host:443/app/?t=1", "rtmps://[hidden]@host:443/app/?t=[hidden]", "rtmps://host:443/app/", true},
		{"", "", "", false},
		{"live.example.com/app", "live.example.com/app", "live.example.com/app", false},
	}
	for _, c := range cases {
		if got := hasURLSecrets(c.raw); got != c.secret {
			t.Errorf("hasURLSecrets(%q) = %v", c.raw, got)
		}
		if got := hideURLSecrets(c.raw); got != c.shown {
			t.Errorf("hideURLSecrets(%q) = %q, want %q", c.raw, got, c.shown)
		}
		if got := withoutURLSecrets(c.raw); got != c.public {
			t.Errorf("withoutURLSecrets(%q) = %q, want %q", c.raw, got, c.public)
		}
	}
	if got := withoutURLSecrets("rtmp://[bad"); got != "" {
		t.Errorf("a URL that does not parse is kept as %q", got)
	}
}

// prefsFileText is everything Fyne's preferences hold, as text.
func prefsFileText(h *harness) string {
	var all []string
	for _, k := range []string{prefLiveServer, prefLiveCustomServer, prefLiveServer2, prefLiveCAFile, prefLiveService} {
		all = append(all, h.prefs.String(k))
	}
	return strings.Join(all, "\n")
}

func TestSecretServerURLsStayOutOfThePreferences(t *testing.T) {
	const server, server2 = "rtmp://bob:pa55word@127.0.0.1/app?token=t0ken-1", "rtmps://127.0.0.1/app?auth=t0ken-2"
	h := newHarness(t)
	h.form.outputMode.SetSelected(outputLive)
	h.live.service.SetSelected("Custom RTMP")
	h.setText(&h.live.server.Entry, server)
	h.live.second.SetChecked(true)
	h.setText(&h.live.server2.Entry, server2)
	prefs := prefsFileText(h)
	for _, secret := range []string{"pa55word", "bob", "t0ken-1", "t0ken-2"} {
		if strings.Contains(prefs, secret) {
			t.Errorf("the preferences hold %q:\n%s", secret, prefs)
		}
	}
	if h.prefs.String(prefLiveServer) != "rtmp://127.0.0.1/app" {
		t.Errorf("the preferences keep the server as %q, want it without its secrets", h.prefs.String(prefLiveServer))
	}
	if _, err := os.Stat(h.live.keys.path); !os.IsNotExist(err) {
		t.Error("a secret was saved without Remember key")
	}

	// Remember key keeps the whole URLs in the private key store; a new
	// window gets them back.
	h.live.remember.SetChecked(true)
	if info, err := os.Stat(h.live.keys.path); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key store: %v", err)
	}
	again := newLivePanel(h.prefs, h.live.keys, func() {})
	if again.server.Text != server || again.server2.Text != server2 {
		t.Errorf("a new window has the servers %q and %q", again.server.Text, again.server2.Text)
	}
	again.service.SetSelected("YouTube")
	again.service.SetSelected("Custom RTMP")
	if again.server.Text != server {
		t.Errorf("the custom server came back as %q", again.server.Text)
	}
	for _, secret := range []string{"pa55word", "t0ken-1", "t0ken-2"} {
		if strings.Contains(prefsFileText(h), secret) {
			t.Errorf("the preferences hold %q", secret)
		}
	}

	// Unticking forgets the secrets with the keys.
	h.live.remember.SetChecked(false)
	if data, err := os.ReadFile(h.live.keys.path); err == nil && (strings.Contains(string(data), "t0ken") || strings.Contains(string(data), "pa55word")) {
		t.Errorf("unticking Remember key kept %s", data)
	}
}

func TestSecretServerURLLeftByAnOlderVersionMovesOut(t *testing.T) {
	a := test.NewTempApp(t)
	const old = "rtmp://live.example.com/app?token=0ld-t0ken"
	a.Preferences().SetString(prefLiveServer, old)
	a.Preferences().SetString(prefLiveService, "Custom RTMP")
	keys := &keyStore{path: filepath.Join(t.TempDir(), keyFileName)}
	l := newLivePanel(a.Preferences(), keys, func() {})
	if l.server.Text != old {
		t.Errorf("the server typed before is %q in the field", l.server.Text)
	}
	if got := a.Preferences().String(prefLiveServer); got != "rtmp://live.example.com/app" {
		t.Errorf("the preferences still hold %q", got)
	}
}

func TestRedactedTargetsHideURLSecrets(t *testing.T) {
	got := redactedTargets([]encoder.Destination{
		{URL: "rtmp://bob:pa55word@127.0.0.1/app?token=t0ken", Key: streamKey},
		{URL: "rtmps://127.0.0.1/app/"},
	})
	want := []string{"rtmp://[hidden]@127.0.0.1/app/[stream key]?token=[hidden]", "rtmps://127.0.0.1/app/"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("redactedTargets = %q, want %q", got, want)
	}
}
