package publish

import (
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Address composes a server URL and a key into what gortmplib dials: the
// key as the stream name (gortmplib takes it from the fragment), a query
// string kept with the application (rtmp://h/app?token=x + key → app
// "app?token=x", stream "key"), userinfo kept for servers that ask for it.
// Its errors never quote the URL: it may hold secrets.
func Address(server, key string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(server))
	if err != nil {
		return nil, errors.New("the server URL is not a valid URL")
	}
	switch {
	case u.Scheme != "rtmp" && u.Scheme != "rtmps":
		return nil, errors.New("the server URL must start with rtmp:// or rtmps://")
	case u.Host == "" || u.Hostname() == "":
		return nil, errors.New("the server URL has no host: write it as rtmp://host/app")
	case strings.Trim(u.Path, "/") == "":
		return nil, errors.New("the server URL has no application: write it as rtmp://host/app")
	case u.Fragment != "":
		return nil, errors.New("the server URL must not hold a #fragment: give the stream key on its own")
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	u.Fragment = key
	return u, nil
}

// mask replaces every secret in a text.
const mask = "•••"

// Redactor hides the targets' keys, URL userinfo (user and password) and
// every query value in text, in every form they may take (raw,
// path-escaped, query-escaped). Longer secrets are replaced first, so one
// secret inside another is hidden whole.
func Redactor(targets []Target) func(string) string {
	var secrets []string
	for _, t := range targets {
		secrets = append(secrets, t.Key)
		if u, err := url.Parse(strings.TrimSpace(t.URL)); err == nil {
			if u.User != nil {
				pass, _ := u.User.Password()
				secrets = append(secrets, u.User.Username(), pass)
			}
			for _, vs := range u.Query() {
				secrets = append(secrets, vs...)
			}
			for _, kv := range strings.Split(u.RawQuery, "&") {
				if _, v, ok := strings.Cut(kv, "="); ok {
					secrets = append(secrets, v) // as written, however it was escaped
				}
			}
		}
	}
	forms := map[string]bool{}
	for _, s := range secrets {
		if s == "" {
			continue
		}
		forms[s] = true
		forms[url.PathEscape(s)] = true
		forms[url.QueryEscape(s)] = true
	}
	list := make([]string, 0, len(forms))
	for f := range forms {
		list = append(list, f)
	}
	sort.Slice(list, func(i, j int) bool {
		if len(list[i]) != len(list[j]) {
			return len(list[i]) > len(list[j])
		}
		return list[i] < list[j]
	})
	pairs := make([]string, 0, 2*len(list))
	for _, f := range list {
		pairs = append(pairs, f, mask)
	}
	r := strings.NewReplacer(pairs...)
	return r.Replace
}

// DisplayName is a server URL as people may see it: userinfo and query
// values masked, for Target.Name.
func DisplayName(server string) string {
	u, err := url.Parse(strings.TrimSpace(server))
	if err != nil {
		return "(an invalid URL)"
	}
	if u.User != nil {
		u.User = url.User(mask)
	}
	q := u.Query()
	for k := range q {
		q[k] = []string{mask}
	}
	if len(q) > 0 {
		u.RawQuery = q.Encode()
	}
	s, _ := url.PathUnescape(u.String())
	return s
}

// redactedError is an error whose text went through the redactor. It
// unwraps to the error it words only when that error's own text holds no
// secret, and always to its kind (ErrRejected, ErrStalled…).
type redactedError struct {
	text string
	kind error
	err  error // nil when its text held a secret
}

func (e *redactedError) Error() string { return e.text }

func (e *redactedError) Unwrap() []error {
	var out []error
	for _, err := range []error{e.kind, e.err} {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}

// redactErr words err for a person with its secrets hidden, keeping kind
// (may be nil) reachable by errors.Is.
func redactErr(redact func(string) string, kind, err error, format string, args ...any) error {
	text := redact(fmt.Sprintf(format, args...))
	e := &redactedError{text: text, kind: kind}
	if err != nil && redact(err.Error()) == err.Error() {
		e.err = err
	}
	return e
}
