package cli

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder"
)

func TestNowPlayingIsShownInEveryMode(t *testing.T) {
	tagged := encoder.NowPlaying{Track: 1, Tracks: 3, Info: encoder.AudioInfo{
		Path: "/music/02 night.mp3", Title: "Night Drive", Artist: "Lo Fi Kid", Duration: 3 * time.Minute}}
	untagged := encoder.NowPlaying{Track: 0, Tracks: 1, Info: encoder.AudioInfo{
		Path: "/music/rain.ogg", Title: "rain"}}
	tests := []struct {
		name       string
		kind       progressKind
		drawn      bool // a bar is on screen
		ev         encoder.NowPlaying
		wantStderr string
		wantJSON   map[string]any
	}{
		{"plain", progressPlain, false, tagged, "♪ now playing 2/3: Lo Fi Kid – Night Drive\n", nil},
		{"plain, title only", progressPlain, false, untagged, "♪ now playing 1/1: rain\n", nil},
		{"bar ends the bar's line first", progressBar, true, tagged, "\n♪ now playing 2/3: Lo Fi Kid – Night Drive\n", nil},
		{"json", progressJSON, false, tagged, "", map[string]any{
			"type": "now_playing", "track": 2.0, "tracks": 3.0, "title": "Night Drive", "artist": "Lo Fi Kid", "path": "/music/02 night.mp3"}},
		{"json, no artist", progressJSON, false, untagged, "", map[string]any{
			"type": "now_playing", "track": 1.0, "tracks": 1.0, "title": "rain", "path": "/music/rain.ogg"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			r := newReporter(tt.kind, &stdout, &stderr)
			r.live, r.drawn = true, tt.drawn
			r.event(tt.ev)
			if got := stderr.String(); got != tt.wantStderr {
				t.Errorf("stderr %q, want %q", got, tt.wantStderr)
			}
			if r.drawn {
				t.Error("the bar still counts as drawn after a line of its own")
			}
			if tt.wantJSON == nil {
				if stdout.Len() != 0 {
					t.Errorf("stdout %q, want nothing", stdout.String())
				}
				return
			}
			var got map[string]any
			if err := json.Unmarshal(stdout.Bytes(), &got); err != nil || bytes.Count(stdout.Bytes(), []byte("\n")) != 1 {
				t.Fatalf("stdout %q is not one JSON line: %v", stdout.String(), err)
			}
			if !reflect.DeepEqual(got, tt.wantJSON) {
				t.Errorf("json %v, want %v", got, tt.wantJSON)
			}
		})
	}
}

// TestPreparingAudio: while a loop's audio is prepared there are no
// frames to count; each mode says what is happening and for how long.
func TestPreparingAudio(t *testing.T) {
	ev := encoder.Progress{Phase: encoder.PhaseAudio, Elapsed: 3 * time.Second}
	for _, tt := range []struct {
		kind       progressKind
		wantStderr string
		wantPhase  string
	}{
		{progressPlain, "preparing audio  0:03\n", ""},
		{progressBar, "\r" + strings.Repeat("░", 30) + "   0%  preparing audio  0:03 ", ""},
		{progressJSON, "", "preparing audio"},
	} {
		var stdout, stderr bytes.Buffer
		r := newReporter(tt.kind, &stdout, &stderr)
		r.event(ev)
		if got := stderr.String(); got != tt.wantStderr {
			t.Errorf("mode %v: stderr %q, want %q", tt.kind, got, tt.wantStderr)
		}
		if tt.wantPhase == "" {
			continue
		}
		var got map[string]any
		if err := json.Unmarshal(stdout.Bytes(), &got); err != nil || got["phase"] != tt.wantPhase {
			t.Errorf("json %q: phase %v, want %q (%v)", stdout.String(), got["phase"], tt.wantPhase, err)
		}
	}
}
