package encoder

import (
	"testing"
	"time"

	"github.com/stillcast/stillcast/encoder/ffmpeg"
)

func TestNewProgress(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		p       ffmpeg.Progress
		total   int
		elapsed time.Duration
		want    Progress
	}{
		{"half way", ffmpeg.Progress{Frame: 50, OutTime: 2 * time.Second, Speed: 1}, 100, 2 * time.Second,
			Progress{Frame: 50, TotalFrames: 100, Fraction: 0.5, FPS: 25, Speed: 1, OutTime: 2 * time.Second, Elapsed: 2 * time.Second, ETA: 2 * time.Second}},
		{"speed from out time when N/A", ffmpeg.Progress{Frame: 25, OutTime: 4 * time.Second}, 100, 2 * time.Second,
			Progress{Frame: 25, TotalFrames: 100, Fraction: 0.25, FPS: 12.5, Speed: 2, OutTime: 4 * time.Second, Elapsed: 2 * time.Second, ETA: 6 * time.Second}},
		{"nothing yet", ffmpeg.Progress{}, 100, 0,
			Progress{TotalFrames: 100}},
		{"frames beyond total clamp", ffmpeg.Progress{Frame: 130}, 100, time.Second,
			Progress{Frame: 100, TotalFrames: 100, Fraction: 1, FPS: 100, Elapsed: time.Second}},
		{"end has no ETA", ffmpeg.Progress{Frame: 90, End: true}, 100, time.Second,
			Progress{Frame: 90, TotalFrames: 100, Fraction: 0.9, FPS: 90, Elapsed: time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := newProgress(tt.p, tt.total, tt.elapsed)
			if got != tt.want {
				t.Errorf("newProgress = %+v\nwant %+v", got, tt.want)
			}
			if got.Fraction < 0 || got.Fraction > 1 || got.ETA < 0 {
				t.Errorf("out of range: %+v", got)
			}
		})
	}
}
