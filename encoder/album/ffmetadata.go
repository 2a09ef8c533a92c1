package album

import (
	"strconv"
	"strings"
	"time"
)

// FFMetadata writes the chapters as ffmpeg's metadata file, which
// "-f ffmetadata -i FILE" reads and "-map_chapters" puts into the output.
// Times are in milliseconds, rounded to the nearest: what MP4 keeps.
// https://ffmpeg.org/ffmpeg-formats.html#Metadata-1
func FFMetadata(chs []Chapter) string {
	var b strings.Builder
	b.WriteString(";FFMETADATA1\n")
	for _, c := range chs {
		b.WriteString("[CHAPTER]\nTIMEBASE=1/1000\n")
		b.WriteString("START=" + strconv.FormatInt(millis(c.Start), 10) + "\n")
		b.WriteString("END=" + strconv.FormatInt(millis(c.End), 10) + "\n")
		b.WriteString("title=" + escapeMetadata(c.Title) + "\n")
	}
	return b.String()
}

func millis(d time.Duration) int64 { return d.Round(time.Millisecond).Milliseconds() }

// escapeMetadata escapes what the metadata format gives a meaning to:
// '=', ';', '#', '\' and line ends are written after a backslash. Byte
// by byte: a title that is not valid UTF-8 stays as its bytes.
func escapeMetadata(s string) string {
	var b strings.Builder
	for i := range len(s) {
		switch s[i] {
		case '=', ';', '#', '\\', '\n', '\r':
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
