// Package saved owns Stillcast's own settings file, the preferences that
// the window and the headless commands share: today the ffmpeg the user
// chose. Fyne's preferences stay the window's alone; this file is plain
// JSON so that a build without Fyne reads it too.
package saved

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// FileName is the file under os.UserConfigDir()/stillcast.
const FileName = "settings.json"

// Settings is what the file holds. A field left empty is not set.
type Settings struct {
	// FFmpeg is the ffmpeg program the user chose in the window. It is
	// used after --ffmpeg and $STILLCAST_FFMPEG, before the system's.
	FFmpeg string `json:"ffmpeg,omitempty"`
}

// Store is the settings file at Path.
type Store struct {
	Path string
}

// DefaultStore is the file in the user's configuration folder.
func DefaultStore() (Store, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return Store{}, fmt.Errorf("finding the configuration folder: %w", err)
	}
	return Store{Path: filepath.Join(dir, "stillcast", FileName)}, nil
}

// Load reads the settings. A missing file is no settings, not an error,
// and so is one in a folder this user may not enter: another user's
// home, as under sudo -u. A file there that cannot be read is an error.
func (s Store) Load() (Settings, error) {
	var v Settings
	data, err := os.ReadFile(s.Path)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) && !reachable(s.Path) {
		return v, nil
	}
	if err != nil {
		return v, fmt.Errorf("reading Stillcast's settings: %w", err)
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return Settings{}, fmt.Errorf("the settings file %s is not valid JSON: %w", s.Path, err)
	}
	return v, nil
}

// reachable reports whether path can be looked at: false when a folder
// on the way may not be entered.
func reachable(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, fs.ErrPermission)
}

// Save replaces the file in one step, so a crash or a second Stillcast
// never leaves half a file to read.
func (s Store) Save(v Settings) error {
	if err := os.MkdirAll(filepath.Dir(s.Path), 0o755); err != nil {
		return fmt.Errorf("saving Stillcast's settings: %w", err)
	}
	data, err := json.MarshalIndent(v, "", "  ")
	if err == nil {
		err = WriteFile(s.Path, append(data, '\n'), 0o644)
	}
	if err != nil {
		return fmt.Errorf("saving Stillcast's settings to %s: %w", s.Path, err)
	}
	return nil
}

// WriteFile replaces the file at path with data in one step: a temporary
// file beside it, created private and given perm, renamed over it. A
// reader sees the old file or the new one, never half of one.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*.tmp") // created 0600
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), perm)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
