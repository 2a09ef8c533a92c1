package ui

import (
	"maps"
	"net/url"
	"slices"
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
func hideURLSecrets(raw string) string { return shownURL(raw, "") }

// shownURL is raw fit to show, with key (the stream key's stand-in) as
// the last element of its path, before any query, as it is published.
func shownURL(raw, key string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		if key == "" {
			return raw
		}
		return strings.TrimRight(raw, "/") + "/" + key
	}
	var b strings.Builder
	b.WriteString(u.Scheme + "://")
	if u.User != nil {
		b.WriteString(hiddenSecret + "@")
	}
	b.WriteString(u.Host)
	path := u.EscapedPath()
	if key != "" {
		path = strings.TrimRight(path, "/") + "/" + key
	}
	b.WriteString(path)
	if u.RawQuery != "" {
		var parts []string
		for _, name := range slices.Sorted(maps.Keys(u.Query())) {
			parts = append(parts, url.QueryEscape(name)+"="+hiddenSecret)
		}
		b.WriteString("?" + strings.Join(parts, "&"))
	}
	return b.String()
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
