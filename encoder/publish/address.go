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

// What the Redactor puts in a secret's place: the key, or anything else
// (userinfo, query values).
const (
	maskKey    = "[stream key]"
	maskSecret = "[hidden]"
)

// Redactor hides the targets' keys, URL userinfo (user and password) and
// every query value in text, in every form they may take (raw,
// path-escaped, query-escaped). Longer secrets are replaced first, so one
// secret inside another is hidden whole.
func Redactor(targets []Target) func(string) string {
	masks := map[string]string{} // each form of a secret → its mask; a key's wins
	add := func(secret, mask string) {
		if secret == "" {
			return
		}
		for _, form := range []string{secret, url.PathEscape(secret), url.QueryEscape(secret)} {
			if _, seen := masks[form]; !seen {
				masks[form] = mask
			}
		}
	}
	for _, t := range targets {
		add(t.Key, maskKey)
	}
	for _, t := range targets {
		for _, secret := range urlSecrets(t.URL) {
			add(secret, maskSecret)
		}
	}
	forms := make([]string, 0, len(masks))
	for f := range masks {
		forms = append(forms, f)
	}
	sort.Slice(forms, func(i, j int) bool {
		if len(forms[i]) != len(forms[j]) {
			return len(forms[i]) > len(forms[j])
		}
		return forms[i] < forms[j]
	})
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, masks[f])
	}
	return strings.NewReplacer(pairs...).Replace
}

// urlSecrets lists a server URL's user, password and query values, each
// decoded and as written.
func urlSecrets(server string) []string {
	u, err := url.Parse(strings.TrimSpace(server))
	if err != nil {
		return nil
	}
	var out []string
	if u.User != nil {
		pass, _ := u.User.Password()
		out = append(out, u.User.Username(), pass)
	}
	for _, vs := range u.Query() {
		out = append(out, vs...)
	}
	for _, kv := range strings.Split(u.RawQuery, "&") {
		if _, v, ok := strings.Cut(kv, "="); ok {
			out = append(out, v) // as written, however it was escaped
		}
	}
	return out
}

// DisplayName is a server URL as people may see it: userinfo and query
// values masked, for Target.Name.
func DisplayName(server string) string {
	u, err := url.Parse(strings.TrimSpace(server))
	if err != nil {
		return "(an invalid URL)"
	}
	if u.User != nil {
		u.User = url.User(maskSecret)
	}
	q := u.Query()
	for k := range q {
		q[k] = []string{maskSecret}
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
