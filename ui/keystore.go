package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/stillcast/stillcast/ui/saved"
)

// keyStore keeps stream keys, one per service, in a JSON file that only
// the user can read (0600, in a 0700 folder). It is not a keyring: anyone
// who can read the user's files can read the keys. It is used only when
// "Remember key" is ticked, and nothing in it is ever logged.
type keyStore struct {
	path string
}

// errUnreadableKeys is a key file that is not the JSON Stillcast writes.
var errUnreadableKeys = errors.New("the saved stream keys are unreadable")

// keyFileName is the file under os.UserConfigDir()/stillcast.
const keyFileName = "stream-keys.json"

// defaultKeyStore is the store under the user's configuration folder.
func defaultKeyStore() (*keyStore, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return nil, fmt.Errorf("finding the configuration folder: %w", err)
	}
	return &keyStore{path: filepath.Join(dir, "stillcast", keyFileName)}, nil
}

// Key returns the key remembered for service, or "".
func (k *keyStore) Key(service string) (string, error) {
	keys, err := k.read()
	return keys[service], err
}

// SetKey remembers key for service; an empty key forgets it. A file
// that does not parse is replaced: the keys in it are lost already, and
// keeping it would make every later key fail to save too.
func (k *keyStore) SetKey(service, key string) error {
	keys, err := k.read()
	if err != nil && !errors.Is(err, errUnreadableKeys) {
		return err
	}
	if key == "" {
		if _, ok := keys[service]; !ok {
			return nil
		}
		delete(keys, service)
	} else {
		keys[service] = key
	}
	return k.write(keys)
}

func (k *keyStore) read() (map[string]string, error) {
	keys := map[string]string{}
	data, err := os.ReadFile(k.path)
	if errors.Is(err, fs.ErrNotExist) {
		return keys, nil
	}
	if err != nil {
		return keys, fmt.Errorf("reading the saved stream keys: %w", err)
	}
	if err := json.Unmarshal(data, &keys); err != nil {
		// Do not echo the file, nor the parser's error, which quotes it: it holds secrets.
		return map[string]string{}, fmt.Errorf("%w: %s; it is replaced when a key is saved", errUnreadableKeys, k.path)
	}
	if keys == nil { // the file said null
		keys = map[string]string{}
	}
	return keys, nil
}

// write replaces the file in one step, so a crash never leaves half a file,
// and the new file is private from the moment it exists.
func (k *keyStore) write(keys map[string]string) error {
	dir := filepath.Dir(k.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("saving the stream key: %w", err)
	}
	if len(keys) == 0 {
		if err := os.Remove(k.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("forgetting the stream key: %w", err)
		}
		return nil
	}
	data, err := json.MarshalIndent(keys, "", "  ")
	if err == nil {
		err = saved.WriteFile(k.path, data, 0o600)
	}
	if err != nil {
		return fmt.Errorf("saving the stream key: %w", err)
	}
	return nil
}
