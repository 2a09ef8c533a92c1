package encoder

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrOutputExists says the output file is there already and Force is off.
// The CLI suggests --force; the window asks before replacing.
var ErrOutputExists = errors.New("already exists")

// checkOutput finds problems with the output path before any work starts.
func checkOutput(out string, force bool) error {
	dir := filepath.Dir(out)
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fieldErr("out", "the folder %s does not exist", dir)
	case err != nil:
		return &FieldError{Field: "out", Err: err}
	case !info.IsDir():
		return fieldErr("out", "%s is not a folder", dir)
	}
	info, err = os.Stat(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return &FieldError{Field: "out", Err: err}
	case info.IsDir():
		return fieldErr("out", "%s is a folder, not a file", out)
	case !force:
		return &FieldError{Field: "out", Err: fmt.Errorf("%s %w", out, ErrOutputExists)}
	}
	return nil
}

// reserveTemp creates the hidden file beside out that ffmpeg writes into.
// Creating it also proves the folder can be written.
func reserveTemp(out string) (string, error) {
	dir, base := filepath.Split(out)
	if dir == "" {
		dir = "."
	}
	// Not os.CreateTemp: its 0600 would stay with the finished video. A new
	// file gets 0666 less the umask, like any other the user makes.
	stem := filepath.Join(dir, "."+strings.TrimSuffix(base, filepath.Ext(base))+".stillcast-")
	var f *os.File
	var err error
	for range 100 {
		f, err = os.OpenFile(stem+strconv.FormatUint(uint64(rand.Uint32()), 36)+".part", os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return "", fieldErr("out", "cannot write in the folder %s: permission denied", filepath.Clean(dir))
		}
		return "", &FieldError{Field: "out", Err: fmt.Errorf("cannot write in the folder %s: %w", filepath.Clean(dir), err)}
	}
	f.Close()
	return f.Name(), nil
}

// commitOutput moves the finished temporary file to out and returns its
// size. Without force it never replaces a file, even one that appeared
// while the job ran: a hard link fails if the name is taken.
func commitOutput(tmp, out string, force bool) (int64, error) {
	info, err := os.Stat(tmp)
	if err != nil {
		return 0, fmt.Errorf("the finished video is missing: %w", err)
	}
	if force {
		err = os.Rename(tmp, out)
	} else if err = os.Link(tmp, out); err == nil {
		err = os.Remove(tmp)
	} else if errors.Is(err, fs.ErrExist) {
		return 0, &FieldError{Field: "out", Err: fmt.Errorf("%s %w", out, ErrOutputExists)}
	} else if _, serr := os.Lstat(out); serr == nil {
		// No hard links on this file system (FAT, some network shares).
		return 0, &FieldError{Field: "out", Err: fmt.Errorf("%s %w", out, ErrOutputExists)}
	} else {
		err = os.Rename(tmp, out)
	}
	if err != nil {
		return 0, fmt.Errorf("saving %s: %w", out, err)
	}
	return info.Size(), nil
}
