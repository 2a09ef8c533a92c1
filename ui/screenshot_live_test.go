//go:build screenshot

package ui

// The live panel's screenshot: `make screenshot-live` runs this test
// binary on a virtual screen (Xvfb) with STILLCAST_LIVE_SHOT set. The
// real window, drawn by Fyne's OpenGL driver, streams to two made-up
// destinations; the events are scripted, as an encoder would send them
// over five minutes, so the graphs have something to show.

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/ui/saved"
)

func TestMain(m *testing.M) {
	for env, shoot := range map[string]func(string) error{"STILLCAST_LIVE_SHOT": shootLive, "STILLCAST_ALBUM_SHOT": shootAlbum} {
		if out := os.Getenv(env); out != "" {
			if err := shoot(out); err != nil {
				fmt.Fprintln(os.Stderr, "screenshot:", err)
				os.Exit(1)
			}
			os.Exit(0)
		}
	}
	os.Exit(m.Run())
}

// screenshotWindow is the real window on the OpenGL driver, with the
// settings of the (throwaway) home.
func screenshotWindow() (fyne.App, fyne.Window, *mainWindow) {
	a := app.NewWithID("io.stillcast.screenshot")
	w := a.NewWindow("Stillcast")
	config := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "stillcast")
	m := newMainWindow(a, w, deps{dialogs: &nativeDialogs{}, do: fyne.Do,
		keys: &keyStore{path: filepath.Join(config, keyFileName)}, settings: saved.Store{Path: filepath.Join(config, saved.FileName)}})
	return a, w, m
}

// shootLive shows the window streaming and saves it to out. It runs on
// the main goroutine, as the OpenGL driver must.
func shootLive(out string) error {
	a, w, m := screenshotWindow()
	m.open(nil)
	var err error
	go func() {
		time.Sleep(2 * time.Second) // the sample loads and the window draws
		fyne.Do(func() { scriptLive(m) })
		time.Sleep(3 * time.Second)
		// ImageMagick reads the screen as it is drawn: a capture of the
		// canvas comes back blank under Xvfb.
		if b, e := exec.Command("import", "-window", "root", out).CombinedOutput(); e != nil {
			err = fmt.Errorf("import: %w: %s", e, b)
		}
		fyne.Do(a.Quit)
	}()
	w.ShowAndRun()
	return err
}

// scriptLive fills the form in for two destinations and plays five
// minutes of their statuses into the panel: A dropped once and came back,
// B has just dropped and is trying again.
func scriptLive(m *mainWindow) {
	f, l := m.form, m.live
	f.outputMode.SetSelected(outputLabel(outputLive))
	l.service.SetSelected(serviceLabel(encoder.Service{ID: customService}))
	l.server.SetText("rtmp://live.example.com/app")
	l.key.SetText("sk-example")
	l.second.SetChecked(true)
	l.server2.SetText("rtmps://backup.example.net/live")
	l.key2.SetText("sk-example-2")
	names := redactedTargets([]encoder.Destination{{URL: l.server.Text, Key: "k"}, {URL: l.server2.Text, Key: "k"}})
	m.run = &run{live: true, cancel: func() {}, done: make(chan struct{})}
	m.progress.beginLive(names)
	m.syncControls()
	v := m.progress.liveView
	start := time.Now().Add(-5 * time.Minute)
	clock := start
	v.now = func() time.Time { return clock }
	m.apply(encoder.Started{Output: names[0], Width: 1280, Height: 720, FPS: 30})
	m.apply(encoder.NowPlaying{Track: 1, Tracks: 12, Info: encoder.AudioInfo{Title: "Evening Light", Artist: "The Quiet Hours"}})
	var sentA, sentB int64
	upA, reA := time.Duration(0), 0
	for s := range 300 {
		clock = start.Add(time.Duration(s) * time.Second)
		wave := func(base, swing float64, period float64) int {
			return int(base + swing*math.Sin(float64(s)/period) + swing/3*math.Sin(float64(s)/3.7))
		}
		switch {
		case s >= 170 && s < 178: // A dropped for 8 s
			if s == 170 {
				reA++
				m.apply(encoder.LiveStatus{Dest: 0, State: encoder.LiveReconnecting, Attempt: 2, NextTry: 2 * time.Second, Reconnects: reA, Sent: sentA,
					Err: &encoder.FFmpegError{ExitCode: 1, Hint: "the connection was reset"}})
			}
			upA = 0
		default:
			bps := wave(2_500_000, 180_000, 9)
			sentA += int64(bps / 8)
			upA += time.Second
			m.apply(encoder.LiveStatus{Dest: 0, State: encoder.LiveOnAir, Attempt: 1 + reA, Uptime: upA, Bitrate: bps, Sent: sentA, Reconnects: reA})
		}
		if s < 290 {
			bps := wave(2_450_000, 120_000, 14)
			sentB += int64(bps / 8)
			m.apply(encoder.LiveStatus{Dest: 1, State: encoder.LiveOnAir, Attempt: 1, Uptime: time.Duration(s) * time.Second, Bitrate: bps, Sent: sentB})
		} else if s == 290 {
			m.apply(encoder.LiveStatus{Dest: 1, State: encoder.LiveReconnecting, Attempt: 2, NextTry: 16 * time.Second, Reconnects: 1, Sent: sentB,
				Err: &encoder.FFmpegError{ExitCode: 1, Hint: "cannot reach the server (connection refused)"}})
		}
	}
	m.progress.tick()
}
