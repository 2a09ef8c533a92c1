package encoder

import (
	"strconv"
	"strings"
	"time"
)

// Audio in files: the video is made as before, and the audio joins it in
// the last ffmpeg run, copied untouched when the container takes it as it
// is, else encoded as AAC.

// audioFadeOut is how long audio that is cut short fades out.
const audioFadeOut = 3 * time.Second

// Bit rates of AAC made from the user's audio: 192k is what YouTube
// recommends for stereo; sources that carry more get more.
const (
	aacBitrate     = 192_000
	aacRichBitrate = 256_000
)

// audioPlan is how a file's audio is made, already decided.
type audioPlan struct {
	Files   []string
	Loop    bool          // repeat the one file until Length
	Copy    bool          // stream copy, untouched
	Length  time.Duration // of the output
	FadeOut time.Duration // at the end, when the audio is cut short; 0 for none
	Pad     bool          // silence after the audio, up to Length
	Bitrate int           // of the AAC, when not copied
	Tags    bool          // copy the first file's tags (title, artist, …)
	// Splice, when set, says the loop or cut may be made by copying the
	// one file's frames, encoding only the joins and the fade
	// (audio_splice.go); Spliced is the file that made, muxed as input 1
	// and copied, with Files opened after it for their tags only.
	Splice  *AudioInfo
	Spliced string
}

// planAudio decides how tracks become the audio of a video of length
// at fps in container c: cut with a fade when the video is shorter,
// followed by silence or looped when it is longer, and copied when it
// needs none of that and c takes its codec.
func planAudio(tracks []AudioInfo, length time.Duration, loop bool, c Container, fps int) *audioPlan {
	if len(tracks) == 0 {
		return nil
	}
	p := &audioPlan{Length: length, Bitrate: aacBitrate, Tags: len(tracks) == 1}
	frame := time.Second / time.Duration(fps)
	audio := totalLength(tracks)
	for _, t := range tracks {
		p.Files = append(p.Files, t.Path)
		if lossless(t.Codec) || t.Bitrate > aacBitrate+aacBitrate/10 {
			p.Bitrate = aacRichBitrate
		}
	}
	cut := length < audio-frame
	short := length > audio+frame
	p.Loop = loop && short
	p.Pad = short && !loop
	if cut || p.Loop {
		p.FadeOut = min(audioFadeOut, length/4)
	}
	p.Copy = len(tracks) == 1 && !cut && !short && takesUntouched(c, tracks[0].Codec)
	if t := tracks[0]; len(tracks) == 1 && (cut || p.Loop) && splicesByCopy(t.Codec) && takesUntouched(c, t.Codec) {
		p.Splice = &t
	}
	return p
}

// splicesByCopy reports whether audio in codec can be looped and cut by
// copying its frames: mp3 and AAC, whose encoders ffmpeg has.
func splicesByCopy(codec string) bool { return codec == "mp3" || codec == "aac" }

// lossless reports whether codec keeps every sample as it was.
func lossless(codec string) bool {
	return codec == "flac" || codec == "alac" || strings.HasPrefix(codec, "pcm_") || codec == "wavpack" || codec == "ape"
}

// takesUntouched reports whether container c carries audio in codec as
// it is, in a way players and upload sites accept.
func takesUntouched(c Container, codec string) bool {
	var ok []string
	switch c.Format {
	case "mp4", "mov":
		ok = []string{"aac", "mp3", "alac"}
	case "matroska":
		ok = []string{"aac", "mp3", "opus", "vorbis", "flac", "alac", "ac3", "eac3", "pcm_s16le", "pcm_s24le", "pcm_f32le"}
	case "flv":
		ok = []string{"aac", "mp3"}
	case "mpegts":
		ok = []string{"aac", "mp3", "ac3", "eac3"}
	}
	for _, o := range ok {
		if codec == o {
			return true
		}
	}
	return false
}

// mux is what joins the video in the final output: audio, cover art and
// chapters.
type mux struct {
	Audio *audioPlan
	// Cover is a JPEG put into the file as cover art, the container's way;
	// "" for none.
	Cover      string
	CoverStyle coverStyle
	// Chapters is an ffmpeg metadata file of the chapters; "" for none.
	Chapters string
}

// inputArgs opens the audio files, the cover and the chapters as inputs
// 1, 2, …, after the video's input 0.
func (m mux) inputArgs() []string {
	var args []string
	if a := m.Audio; a != nil {
		if a.Spliced != "" {
			args = append(args, "-i", "file:"+a.Spliced)
		}
		for _, f := range a.Files {
			if a.Loop {
				args = append(args, "-stream_loop", "-1") // until -t ends it
			}
			args = append(args, "-i", "file:"+f)
		}
	}
	if m.Cover != "" && m.CoverStyle == coverPicture {
		args = append(args, "-i", "file:"+m.Cover)
	}
	if m.Chapters != "" {
		args = append(args, "-f", "ffmetadata", "-i", "file:"+m.Chapters)
	}
	return args
}

// inputs counts the inputs inputArgs opens.
func (m mux) inputs() int {
	n := 0
	if m.Audio != nil {
		n += m.Audio.inputs()
	}
	if m.Cover != "" && m.CoverStyle == coverPicture {
		n++
	}
	if m.Chapters != "" {
		n++
	}
	return n
}

// outputArgs maps the audio and the cover into the output, after the
// video's stream 0.
func (m mux) outputArgs() []string {
	var args []string
	a := m.Audio
	if a != nil {
		switch {
		case a.Copy:
			args = append(args, "-map", "1:a:0", "-c:a", "copy")
		default:
			var in strings.Builder
			for i := range a.Files {
				in.WriteString("[" + strconv.Itoa(i+1) + ":a:0]")
			}
			var chain []string
			if len(a.Files) > 1 {
				chain = append(chain, "concat=n="+strconv.Itoa(len(a.Files))+":v=0:a=1") // one after the other, without gaps
			}
			if a.FadeOut > 0 {
				chain = append(chain, "afade=t=out:st="+seconds(a.Length-a.FadeOut)+":d="+seconds(a.FadeOut))
			}
			if a.Pad {
				chain = append(chain, "apad") // silence to the end of the video
			}
			if len(chain) == 0 {
				chain = append(chain, "anull")
			}
			args = append(args,
				"-filter_complex", in.String()+strings.Join(chain, ",")+"[audio]",
				"-map", "[audio]",
				"-c:a", "aac", "-b:a", strconv.Itoa(a.Bitrate),
			)
		}
		if a.Tags {
			args = append(args, "-map_metadata", strconv.Itoa(a.inputs())) // the song's title and artist
		}
	}
	switch {
	case m.Cover == "":
	case m.CoverStyle == coverAttachment:
		args = append(args,
			"-attach", "file:"+m.Cover, // a file inside the Matroska file, not a stream
			"-metadata:s:t:0", "mimetype=image/jpeg",
			"-metadata:s:t:0", "filename=cover.jpg", // the name players look for
		)
	case m.CoverStyle == coverPicture:
		cover := 1
		if a != nil {
			cover += a.inputs()
		}
		args = append(args,
			"-map", strconv.Itoa(cover)+":v:0", "-c:v:1", "copy",
			"-disposition:v:1", "attached_pic", // cover art, not a second video
		)
	}
	if m.Chapters != "" {
		args = append(args, "-map_chapters", strconv.Itoa(m.inputs())) // the last input
	}
	return args
}

// inputs counts the inputs the audio opens.
func (a *audioPlan) inputs() int {
	if a.Spliced != "" {
		return len(a.Files) + 1
	}
	return len(a.Files)
}

// seconds writes d for ffmpeg, to the microsecond.
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', 6, 64)
}

// takesCover reports whether c can carry cover art: ffmpeg writes it into
// MP4 as a picture stream and into Matroska as an attachment, and into
// the other containers not at all.
func takesCover(c Container) bool { return c.cover != noCover }
