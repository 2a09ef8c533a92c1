package ui

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"

	"github.com/stillcast/stillcast/resources"
)

// open loads the first image: the one given, else the last one used while
// it still exists, else the bundled sample.
func (m *mainWindow) open(imagePath string) {
	path, sample, err := m.startImage(imagePath)
	if err != nil {
		fyne.LogError("the sample image is not available", err)
		m.preview.clear()
		m.onFormChanged()
		return
	}
	if sample {
		m.samplePath = path // the first image the user picks replaces it
	}
	m.form.slides.set(path)
}

func (m *mainWindow) startImage(arg string) (path string, sample bool, err error) {
	if arg != "" {
		if abs, err := filepath.Abs(arg); err == nil {
			return abs, false, nil
		}
		return arg, false, nil
	}
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
