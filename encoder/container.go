package encoder

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Container is an output file format.
type Container struct {
	Ext    string // ".mp4"
	Format string // ffmpeg's muxer name
	// FastStart moves the index to the front so playback starts before the
	// whole file has downloaded.
	FastStart bool
	cover     coverStyle // how a song video's cover art goes in, if at all
}

// coverStyle is how a container carries cover art.
type coverStyle int

const (
	noCover         coverStyle = iota // ffmpeg writes none (MOV, FLV, TS)
	coverPicture                      // a picture stream marked as attached (MP4)
	coverAttachment                   // a file attached to the container (Matroska)
)

// Containers lists the output formats, the default first.
func Containers() []Container {
	return []Container{
		{Ext: ".mp4", Format: "mp4", FastStart: true, cover: coverPicture},
		{Ext: ".mov", Format: "mov", FastStart: true},
		{Ext: ".mkv", Format: "matroska", cover: coverAttachment},
		{Ext: ".flv", Format: "flv"},
		{Ext: ".ts", Format: "mpegts"},
	}
}

// ContainerFor picks the container from path's extension, ignoring case.
func ContainerFor(path string) (Container, error) {
	ext := strings.ToLower(filepath.Ext(path))
	for _, c := range Containers() {
		if c.Ext == ext {
			return c, nil
		}
	}
	exts := make([]string, len(Containers()))
	for i, c := range Containers() {
		exts[i] = c.Ext
	}
	if ext == "" {
		return Container{}, fmt.Errorf("%q has no extension: end it with one of %s", filepath.Base(path), strings.Join(exts, " "))
	}
	return Container{}, fmt.Errorf("%q is not a supported output type: use one of %s", ext, strings.Join(exts, " "))
}
