package saved

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := Store{Path: filepath.Join(dir, "stillcast", FileName)}
	if v, err := s.Load(); err != nil || v != (Settings{}) {
		t.Fatalf("a missing file loads as %+v, %v; want nothing and no error", v, err)
	}
	want := Settings{FFmpeg: "/opt/ffmpeg/bin/ffmpeg"}
	if err := s.Save(want); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Load(); err != nil || got != want {
		t.Fatalf("Load = %+v, %v; want %+v", got, err, want)
	}
	entries, err := os.ReadDir(filepath.Dir(s.Path))
	if err != nil || len(entries) != 1 || entries[0].Name() != FileName {
		t.Errorf("the folder holds %v (%v); want only %s: no temporary file may stay", entries, err, FileName)
	}
}

func TestDefaultStoreIsInTheConfigFolder(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	t.Setenv("AppData", dir) // Windows
	s, err := DefaultStore()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.Path, dir) || filepath.Base(s.Path) != FileName || filepath.Base(filepath.Dir(s.Path)) != "stillcast" {
		t.Errorf("DefaultStore = %s; want …/stillcast/%s under %s", s.Path, FileName, dir)
	}
}

func TestUnreadableFileNamesIt(t *testing.T) {
	s := Store{Path: filepath.Join(t.TempDir(), FileName)}
	if err := os.WriteFile(s.Path, []byte("{ffmpeg"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := s.Load()
	if err == nil || !strings.Contains(err.Error(), s.Path) || !strings.Contains(err.Error(), "not valid JSON") {
		t.Errorf("Load of a broken file = %v; want an error naming %s", err, s.Path)
	}
}

// TestAnotherUsersFolderIsNoSettings: a file this user may not read is an
// error; one in a folder this user may not enter is no settings. Root
// may read anything, so that half runs for other users only.
func TestAnotherUsersFolderIsNoSettings(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root may read any file")
	}
	dir := t.TempDir()
	s := Store{Path: filepath.Join(dir, "stillcast", FileName)}
	if err := s.Save(Settings{FFmpeg: "/usr/bin/ffmpeg"}); err != nil {
		t.Fatal(err)
	}
	os.Chmod(s.Path, 0)
	if _, err := s.Load(); err == nil {
		t.Error("an unreadable settings file loads without an error")
	}
	os.Chmod(filepath.Dir(s.Path), 0)
	defer os.Chmod(filepath.Dir(s.Path), 0o755)
	if v, err := s.Load(); err != nil || v != (Settings{}) {
		t.Errorf("a file in a folder that cannot be entered loads as %+v, %v; want no settings", v, err)
	}
}
