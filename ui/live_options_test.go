package ui

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLiveOnScreenOptions(t *testing.T) {
	h := newHarness(t)
	liveForm(t, h, "rtmp://127.0.0.1:1/live", streamKey)
	o := &h.live.options
	if !o.trackArt.Disabled() || !o.titleCard.Disabled() || !o.trackArtHint.Visible() {
		t.Error("the title card or track art can be ticked without audio")
	}
	o.titleCard.SetChecked(true)
	o.trackArt.SetChecked(true) // ticked before the audio: they wait for it
	s, err := h.validate()
	if err != nil || s.Live.TitleCard || s.Live.TrackArt {
		t.Errorf("without audio: title card %v, track art %v (%v)", s.Live.TitleCard, s.Live.TrackArt, err)
	}

	h.setAudio([]string{writeAudio(t, filepath.Join(h.dir, "song.m4a"), 2*time.Second, "Song", "Band")})
	h.waitAudio(t)
	if o.trackArt.Disabled() || o.titleCard.Disabled() || o.trackArtHint.Visible() {
		t.Error("the title card or track art stays off with audio")
	}
	if s, err := h.validate(); err != nil || !s.Live.TitleCard || !s.Live.TrackArt {
		t.Errorf("with audio: title card %v, track art %v (%v)", s.Live.TitleCard, s.Live.TrackArt, err)
	}

	h.run = &run{live: true, cancel: func() {}, done: make(chan struct{})}
	h.progress.beginLive([]string{"rtmp://127.0.0.1:1/live/[stream key]"})
	h.syncControls()
	if !o.titleCard.Disabled() || !o.trackArt.Disabled() {
		t.Error("the on-screen options are not locked while live")
	}

	again := newLivePanel(h.prefs, h.live.keys, func() {})
	if !again.options.titleCard.Checked || !again.options.trackArt.Checked {
		t.Error("the on-screen options are not remembered")
	}
}

func TestLiveCAFileOnlyForRTMPS(t *testing.T) {
	h := newHarness(t)
	liveForm(t, h, "rtmp://127.0.0.1:1/live", streamKey)
	o := &h.live.options
	if o.caField.Visible() || o.caLabel.Visible() {
		t.Error("the CA file shows for rtmp://")
	}
	ca := writeCA(t, filepath.Join(h.dir, "ca.pem"))
	h.dialogs.caFile = ca
	h.setText(o.caFile, "") // nothing: the field is optional

	h.live.second.SetChecked(true)
	h.setText(&h.live.server2.Entry, "rtmps://127.0.0.1:2/app")
	h.setText(h.live.key2, "other-key")
	if !o.caField.Visible() || !o.caLabel.Visible() {
		t.Fatal("the CA file is hidden with an rtmps:// second server")
	}
	if s, err := h.validate(); err != nil || s.Live.CAFile != "" {
		t.Errorf("an empty CA file: %q, %v", s.Live.CAFile, err)
	}
	o.caChoose.OnTapped()
	h.q.until(t, "the chosen CA file is in the field", func() bool { return o.caFile.Text == ca })
	if s, err := h.validate(); err != nil || s.Live.CAFile != ca {
		t.Errorf("chosen CA file: %q, %v", s.Live.CAFile, err)
	}
	if again := newLivePanel(h.prefs, h.live.keys, func() {}); again.options.caFile.Text != ca {
		t.Errorf("the CA file is remembered as %q", again.options.caFile.Text)
	}

	h.setText(o.caFile, filepath.Join(h.dir, "missing.pem"))
	if got := h.form.reason("ca-file"); !strings.Contains(got, "missing.pem") || !h.renderButton.Disabled() {
		t.Errorf("a missing CA file: reason %q, Go Live disabled %v", got, h.renderButton.Disabled())
	}
	h.live.second.SetChecked(false) // rtmp:// only: the CA file means nothing
	if o.caField.Visible() || h.form.reason("ca-file") != "" || h.renderButton.Disabled() {
		t.Errorf("with rtmp:// only the CA file still shows (%v) or blocks (%q)", o.caField.Visible(), h.form.reason("ca-file"))
	}
	if s, _ := h.validate(); s.Live.CAFile != "" {
		t.Errorf("a CA file is sent for rtmp://: %q", s.Live.CAFile)
	}
}

// writeCA writes a self-signed certificate authority, as PEM, to path.
func writeCA(t *testing.T, path string) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Stillcast test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
