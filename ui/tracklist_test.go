package ui

import (
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder"
)

// TestTracklistShownAfterRender: a render of several songs shows its
// tracklist with a button that copies it; the next job hides it, and a
// render of one song shows none.
func TestTracklistShownAfterRender(t *testing.T) {
	h := newHarness(t)
	h.openImage(t, writePNG(t, filepath.Join(h.dir, "photo.png"), 40, 30, color.White))
	list := "0:00 Song one\n3:41 Song two\n1:02:03 Song three\n"
	h.apply(encoder.Started{Output: "/videos/album.mp4", Width: 64, Height: 64, FPS: 1, TotalFrames: 3723})
	if h.progress.tracklist.content.Visible() {
		t.Fatal("a tracklist is shown while rendering")
	}
	h.apply(encoder.Finished{Output: "/videos/album.mp4", Duration: time.Hour, Tracklist: list,
		Chapters: []encoder.Chapter{{Title: "Song one"}, {Title: "Song two"}, {Title: "Song three"}}})
	if !h.progress.tracklist.content.Visible() || h.progress.tracklist.text.Text != list {
		t.Fatalf("tracklist %q (shown %v), want %q", h.progress.tracklist.text.Text, h.progress.tracklist.content.Visible(), list)
	}
	tapButton(t, h.win.Canvas(), "Copy tracklist")
	if got := h.app.Clipboard().Content(); got != list {
		t.Errorf("copied %q, want %q", got, list)
	}

	h.apply(encoder.Started{Output: "/videos/song.mp4", Width: 64, Height: 64, FPS: 1, TotalFrames: 10})
	if h.progress.tracklist.content.Visible() {
		t.Error("the last render's tracklist is still shown while the next one runs")
	}
	h.apply(encoder.Finished{Output: "/videos/song.mp4", Duration: 10 * time.Second})
	if h.progress.tracklist.content.Visible() {
		t.Error("a render of one song shows a tracklist")
	}
}

// TestReplaceDialogNamesTheTracklist: when only the tracklist beside the
// video is in the way, the dialog names it, not the video.
func TestReplaceDialogNamesTheTracklist(t *testing.T) {
	h := newHarness(t)
	out := filepath.Join(h.dir, "album.mp4")
	if err := os.WriteFile(filepath.Join(h.dir, "album.tracklist.txt"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	h.confirmReplace(encoder.Settings{Output: out})
	if text := overlayText(t, h.win.Canvas()); !strings.Contains(text, "album.tracklist.txt already exists") || !strings.Contains(text, "tracklist?") {
		t.Errorf("the dialog says %q", text)
	}
	tapButton(t, h.win.Canvas(), "Keep it")
}
