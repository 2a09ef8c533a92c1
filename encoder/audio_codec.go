package encoder

import (
	"path/filepath"
)

// The audio codecs a user can ask for with Settings.AudioCodec.
const (
	CodecAuto = ""     // copy what the container takes untouched, else AAC
	CodecAAC  = "aac"  // AAC, encoded unless the source is AAC already
	CodecALAC = "alac" // Apple Lossless: every sample kept
	CodecFLAC = "flac" // FLAC: every sample kept
	CodecCopy = "copy" // the source's own audio, untouched
)

// AudioCodecs lists the values Settings.AudioCodec takes, CodecAuto first.
func AudioCodecs() []string {
	return []string{CodecAuto, CodecAAC, CodecALAC, CodecFLAC, CodecCopy}
}

// asIs reports whether the audio plays as it is: one file, not cut,
// padded or looped. Only such audio can be copied.
func (a *audioPlan) asIs() bool {
	return len(a.Files) == 1 && a.FadeOut == 0 && !a.Pad && !a.Loop
}

// chooseCodec applies the user's choice of codec to p, the audio of
// tracks in container c made by an ffmpeg with limits lim. It refuses,
// with a *FieldError for "audio-codec", a choice that cannot be made:
// a copy of audio that must be joined, cut or padded, or a codec the
// container cannot take.
func chooseCodec(p *audioPlan, tracks []AudioInfo, c Container, choice string, lim limits) error {
	if p == nil || choice == CodecAuto {
		return nil
	}
	src := tracks[0]
	switch choice {
	case CodecCopy:
		if p.Splice != nil { // looped or cut by copying its frames
			return nil
		}
		if err := p.uncopiable(); err != nil {
			return err
		}
		if !takesUntouched(c, src.Codec) {
			return fieldErr("audio-codec", "%s: its %s audio cannot be copied into %s: choose aac, alac or flac, or another container", filepath.Base(src.Path), src.Codec, c.Ext)
		}
		p.Copy = true
		return nil
	case CodecALAC, CodecFLAC:
		if err := takesLossless(c, choice, lim); err != nil {
			return err
		}
		p.Strict = choice == CodecFLAC && c.Format == "mp4"
	}
	p.Codec = choice
	if src.Codec != choice {
		p.Splice = nil // a splice keeps the source's codec
	}
	p.Copy = p.asIs() && src.Codec == choice && takesUntouched(c, choice)
	return nil
}

// uncopiable says why audio a cannot be copied as it is; nil when it can.
func (a *audioPlan) uncopiable() error {
	switch {
	case len(a.Files) > 1:
		return fieldErr("audio-codec", "copy keeps the audio untouched, but several files must be joined into one: choose aac, alac or flac")
	case a.Loop:
		return fieldErr("audio-codec", "copy keeps the audio untouched, but it must be looped to fill the video: choose aac, alac or flac")
	case a.Pad:
		return fieldErr("audio-codec", "copy keeps the audio untouched, but it must be followed by silence to fill the video: choose aac, alac or flac")
	case a.FadeOut > 0:
		return fieldErr("audio-codec", "copy keeps the audio untouched, but it must be cut short with a fade to fit the video: choose aac, alac or flac")
	}
	return nil
}

// takesLossless refuses, with a *FieldError for "audio-codec", codec
// (alac or flac) in container c written by an ffmpeg with limits lim.
// Checked with ffmpeg 4.1 and 5.1: FLAC goes into MP4 with -strict
// experimental (both decode bit-exact), not into MOV; ALAC into MOV,
// and into MP4 from ffmpeg 5.
func takesLossless(c Container, codec string, lim limits) error {
	switch {
	case c.Format == "matroska", c.Format == "mp4" && codec == CodecFLAC, c.Format == "mov" && codec == CodecALAC:
		return nil
	case c.Format == "mp4" && !lim.NoALACInMP4:
		return nil
	case c.Format == "mp4":
		return fieldErr("audio-codec", "this ffmpeg cannot write ALAC into %s (ffmpeg 5 or newer can): choose flac, or .mov or .mkv", c.Ext)
	}
	return fieldErr("audio-codec", "%s cannot carry %s audio: choose aac, or .mkv for lossless audio", c.Ext, codec)
}
