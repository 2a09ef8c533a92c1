package encoder

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// mediaCache keeps what a live stream prepares (picture segments, tracks
// transcoded to AAC) in a folder, named by the hash of what they were
// made from, so a picture or a song is encoded once, not on every start.
// The folder is kept under a size cap by removing what was used longest
// ago.
type mediaCache struct {
	dir   string
	limit int64 // bytes
}

// DefaultCacheLimit caps the live media cache: about 100 hours of music
// at 160 kbit/s.
const DefaultCacheLimit = 8 << 30

// openCache opens the cache in dir, or in the user's cache folder
// (~/.cache/stillcast/live on Linux) when dir is "".
func openCache(dir string, limit int64) (mediaCache, error) {
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return mediaCache{}, fmt.Errorf("finding a folder for the live media cache: %w", err)
		}
		dir = filepath.Join(base, "stillcast", "live")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return mediaCache{}, fmt.Errorf("making the live media cache %s: %w", dir, err)
	}
	if limit <= 0 {
		limit = DefaultCacheLimit
	}
	return mediaCache{dir: dir, limit: limit}, nil
}

// cacheKey hashes the parts that decide what an entry holds.
func cacheKey(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:", len(p))
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// fileKey hashes a file's content with a note of how it is prepared.
func fileKey(path, how string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	return cacheKey(h.Sum(nil), []byte(how)), nil
}

// get returns the path of a ready entry, and marks it used.
func (c mediaCache) get(key, ext string) (string, bool) {
	p := filepath.Join(c.dir, key+ext)
	if _, err := os.Stat(p); err != nil {
		return "", false
	}
	now := time.Now()
	_ = os.Chtimes(p, now, now) // the eviction order; a failure only makes it older
	return p, true
}

// put makes an entry with make, which writes the file at the path it is
// given; the entry appears whole or not at all. Then the cache is
// trimmed to its limit.
func (c mediaCache) put(key, ext string, make func(path string) error) (string, error) {
	if p, ok := c.get(key, ext); ok {
		return p, nil
	}
	tmp, err := os.CreateTemp(c.dir, key+"-*.part")
	if err != nil {
		return "", fmt.Errorf("writing to the live media cache: %w", err)
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	if err := make(tmp.Name()); err != nil {
		return "", err
	}
	p := filepath.Join(c.dir, key+ext)
	if err := os.Rename(tmp.Name(), p); err != nil {
		return "", fmt.Errorf("writing to the live media cache: %w", err)
	}
	c.trim(p)
	return p, nil
}

// trim removes the entries used longest ago until the cache fits its
// limit; keep is never removed.
func (c mediaCache) trim(keep string) {
	type entry struct {
		path string
		size int64
		used time.Time
	}
	var entries []entry
	var total int64
	_ = filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".part") {
			return nil
		}
		if info, err := d.Info(); err == nil {
			entries = append(entries, entry{p, info.Size(), info.ModTime()})
			total += info.Size()
		}
		return nil
	})
	slices.SortFunc(entries, func(a, b entry) int { return a.used.Compare(b.used) })
	for _, e := range entries {
		if total <= c.limit {
			return
		}
		if e.path != keep && os.Remove(e.path) == nil {
			total -= e.size
		}
	}
}
