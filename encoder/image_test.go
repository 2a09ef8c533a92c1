package encoder

import (
	"bytes"
	"context"
	"errors"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stillcast/stillcast/encoder/internal/imgtest"
	"github.com/stillcast/stillcast/encoder/picture"
)

// TestRenderImageFormats renders every supported image format to a tiny
// mp4 that is decoded back to check its size and colour.
func TestRenderImageFormats(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	for _, tc := range imgtest.Cases(picture.Load) {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			path := tc.Make(t, t.TempDir())
			bg := tc.Bg
			if bg == (color.RGBA{}) {
				bg = imgtest.Black
			}
			out := filepath.Join(t.TempDir(), "out.mp4")
			s := testSettings(path, out)
			s.Background = bg
			renderOK(t, s)
			st := ffprobeJSON(t, out, false).video(t)
			even := picture.SourceCanvas(tc.Size)
			if st.Width != even.X || st.Height != even.Y {
				t.Errorf("video is %dx%d, want %v", st.Width, st.Height, even)
			}
			frame := decodeFrame(t, out, 0)
			// The probe region shrinks by the evening of odd sides and by a
			// chroma block at its edges.
			checkColor(t, "decoded", frame, insetRect(tc.Region, 2), tc.Want, tc.Tol+6)
		})
	}
}

func checkImageFieldError(t *testing.T, err error, parts []string) {
	t.Helper()
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "image" {
		t.Fatalf("error %v (%T) is not a FieldError for image", err, err)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("message %q lacks %q", err.Error(), p)
		}
	}
}

// TestStartRefusesBadImages runs the bad images through Start: each gives
// a FieldError on "image" and leaves nothing in the output folder.
func TestStartRefusesBadImages(t *testing.T) {
	t.Parallel()
	needFFmpeg(t)
	var goodJPEG bytes.Buffer
	jpeg.Encode(&goodJPEG, solidImage(64, 64, color.RGBA{1, 2, 3, 255}), nil)
	tests := []struct {
		name string
		data []byte // nil with dir: a directory
		dir  bool
		gone bool
		part string
	}{
		{name: "zero bytes", data: []byte{}, part: "empty"},
		{name: "text as png", data: []byte("hello"), part: "not a supported image"},
		{name: "truncated jpeg", data: goodJPEG.Bytes()[:goodJPEG.Len()/2], part: "truncated"},
		{name: "huge png", data: pngWithHeader(100000, 100000), part: "megapixels"},
		{name: "directory", dir: true, part: "folder"},
		{name: "missing", gone: true, part: "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in, outDir := t.TempDir(), t.TempDir()
			path := filepath.Join(in, "picture.png")
			switch {
			case tt.dir:
				os.Mkdir(path, 0o755)
			case !tt.gone:
				writeTestFile(t, in, "picture.png", tt.data)
			}
			j, err := Start(context.Background(), testSettings(path, filepath.Join(outDir, "v.mp4")))
			if err == nil {
				j.Cancel()
				j.Wait()
				t.Fatal("Start accepted a bad image")
			}
			checkImageFieldError(t, err, []string{"picture.png", tt.part})
			checkDirHolds(t, outDir)
		})
	}
}
