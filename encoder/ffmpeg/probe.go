package ffmpeg

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
)

// Probe is the part of ffprobe's JSON that Stillcast reads about a file.
type Probe struct {
	Streams []ProbeStream `json:"streams"`
	Format  ProbeFormat   `json:"format"`
}

// ProbeStream is one stream of a probed file. Numbers ffprobe writes as
// strings stay strings: "N/A" is a value it uses.
type ProbeStream struct {
	CodecType   string `json:"codec_type"` // "audio", "video", …
	CodecName   string `json:"codec_name"`
	SampleRate  string `json:"sample_rate"`
	Channels    int    `json:"channels"`
	BitRate     string `json:"bit_rate"`
	Duration    string `json:"duration"` // seconds
	Disposition struct {
		AttachedPic int `json:"attached_pic"` // 1 for cover art
	} `json:"disposition"`
	Tags map[string]string `json:"tags"`
}

// ProbeFormat is the container of a probed file.
type ProbeFormat struct {
	Duration string            `json:"duration"` // seconds
	BitRate  string            `json:"bit_rate"`
	Tags     map[string]string `json:"tags"`
}

// ErrUnreadable says ffprobe could not read a file: it is damaged, or of a
// kind ffmpeg does not know.
var ErrUnreadable = errors.New("ffprobe cannot read the file")

// ProbeFile reads the streams and container of the file at path with the
// ffprobe at bin. It returns ErrCancelled when ctx ends first, and
// ErrUnreadable when ffprobe fails.
func ProbeFile(ctx context.Context, bin, path string) (Probe, error) {
	cmd := exec.CommandContext(ctx, bin, "-v", "error", "-show_format", "-show_streams", "-of", "json", "file:"+path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return Probe{}, ErrCancelled
		}
		return Probe{}, fmt.Errorf("%w: %s", ErrUnreadable, bytes.TrimSpace(stderr.Bytes()))
	}
	return ParseProbe(stdout.Bytes())
}

// ParseProbe reads ffprobe's JSON.
func ParseProbe(data []byte) (Probe, error) {
	var p Probe
	if err := json.Unmarshal(data, &p); err != nil {
		return Probe{}, fmt.Errorf("reading ffprobe's answer: %w", err)
	}
	return p, nil
}
