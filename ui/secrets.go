package ui

import (
	"net/url"
	"strings"
)

// hiddenSecret stands in for the userinfo or a query value of a URL.
const hiddenSecret = "[hidden]"

// hasURLSecrets reports whether a server URL carries secrets of its own:
// a user and password, or a query (stream services put tokens there).
func hasURLSecrets(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	return err == nil && (u.User != nil || u.RawQuery != "")
}

// hideURLSecrets is raw fit to show: its userinfo and query values
// replaced by hiddenSecret. Text that is no URL comes back as it was.
func hideURLSecrets(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.User == nil && u.RawQuery == "") {
		return raw
	}
	if u.User != nil {
		u.User = url.User(hiddenSecret)
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			q[k] = []string{hiddenSecret}
		}
		u.RawQuery = q.Encode()
	}
	shown := u.String()
	// The brackets read better unescaped.
	return strings.ReplaceAll(strings.ReplaceAll(shown, "%5B", "["), "%5D", "]")
}

// withoutURLSecrets is raw with its userinfo and query left out: what may
// be kept where other users can read it.
func withoutURLSecrets(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return ""
	}
	u.User, u.RawQuery, u.ForceQuery = nil, "", false
	return u.String()
}
