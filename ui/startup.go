package ui

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"

	"github.com/stillcast/stillcast/resources"
)

// open starts the window with files as a drop would: images make the
// list, sound files the audio, and a file of neither kind is tried as an
// image. Without images it shows the last image used while it still
// exists, else the bundled sample.
func (m *mainWindow) open(files []string) {
	for i, f := range files {
		if abs, err := filepath.Abs(f); err == nil {
			files[i] = abs
		}
	}
	d := sortDrop(files, false)
	if images := append(d.images, d.other...); len(images) > 0 {
		m.form.slides.set(images...)
	} else if path, sample, err := m.startImage(); err != nil {
		fyne.LogError("the sample image is not available", err)
		m.preview.clear()
		m.onFormChanged()
	} else {
		if sample {
			m.samplePath = path // the first image the user picks replaces it
		}
		m.form.slides.set(path)
	}
	if len(d.audio) > 0 {
		m.setAudio(d.audio)
	}
}

func (m *mainWindow) startImage() (path string, sample bool, err error) {
	if last := m.prefs.String(prefImage); last != "" && isFile(last) {
		return last, false, nil
	}
	path, err = sampleImagePath()
	return path, true, err
}

// sampleImagePath writes the bundled sample into the user's cache folder,
// once, and returns its path: the encoder reads images from files.
func sampleImagePath() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("finding the cache folder: %w", err)
	}
	dir := filepath.Join(cache, "stillcast")
	path := filepath.Join(dir, resources.SampleName())
	data := resources.SampleImage()
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return path, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("writing the sample image: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".sample-*")
	if err != nil {
		return "", fmt.Errorf("writing the sample image: %w", err)
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("writing the sample image: %w", err)
	}
	return path, nil
}
