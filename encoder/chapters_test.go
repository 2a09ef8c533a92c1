package encoder

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMuxChaptersArgs(t *testing.T) {
	audio := &audioPlan{Files: []string{"/a.mp3", "/b.flac"}, Bitrate: aacBitrate}
	tests := []struct {
		name    string
		m       mux
		inputs  string // the tail of inputArgs
		mapping string // -map_chapters's input
	}{
		{"audio", mux{Audio: audio, Chapters: "/t/ch.txt"}, "-i file:/b.flac -f ffmetadata -i file:/t/ch.txt", "3"},
		{"audio and cover picture", mux{Audio: audio, Cover: "/t/c.jpg", CoverStyle: coverPicture, Chapters: "/t/ch.txt"},
			"-i file:/t/c.jpg -f ffmetadata -i file:/t/ch.txt", "4"},
		{"an attached cover is no input", mux{Audio: audio, Cover: "/t/c.jpg", CoverStyle: coverAttachment, Chapters: "/t/ch.txt"},
			"-i file:/b.flac -f ffmetadata -i file:/t/ch.txt", "3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if in := strings.Join(tt.m.inputArgs(), " "); !strings.HasSuffix(in, tt.inputs) {
				t.Errorf("inputArgs %q, want it to end %q", in, tt.inputs)
			}
			out := tt.m.outputArgs()
			if i := slices.Index(out, "-map_chapters"); i < 0 || out[i+1] != tt.mapping {
				t.Errorf("outputArgs %q, want -map_chapters %s", out, tt.mapping)
			}
		})
	}
	if out := (mux{Audio: audio}).outputArgs(); slices.Contains(out, "-map_chapters") {
		t.Errorf("no chapters, yet %q", out)
	}
}

func TestPlanChapters(t *testing.T) {
	s := time.Second
	tracks := []AudioInfo{
		{Path: "/m/1.mp3", Title: "One", Artist: "A", Duration: 10 * s},
		{Path: "/m/2.mp3", Title: "Two", Artist: "B", Duration: 10 * s},
		{Path: "/m/3.mp3", Title: "Three", Artist: "B", Duration: 10 * s},
	}
	if chs := planChapters(tracks[:1], 10*s); chs != nil {
		t.Errorf("one track has chapters: %v", chs)
	}
	want := []Chapter{{Title: "A – One", Start: 0, End: 10 * s}, {Title: "B – Two", Start: 10 * s, End: 15 * s}}
	if chs := planChapters(tracks, 15*s); !slices.Equal(chs, want) {
		t.Errorf("a video cut at 15 s: %v, want %v", chs, want)
	}
}

func TestTracklistPath(t *testing.T) {
	tests := []struct{ tracklist, want string }{
		{"", "/v/My album.tracklist.txt"},
		{TracklistStdout, ""},
		{"/d/desc.txt", "/d/desc.txt"},
	}
	for _, tt := range tests {
		if got := TracklistPath(Settings{Output: "/v/My album.mp4", Tracklist: tt.tracklist}); got != tt.want {
			t.Errorf("TracklistPath(%q) = %q, want %q", tt.tracklist, got, tt.want)
		}
	}
}
