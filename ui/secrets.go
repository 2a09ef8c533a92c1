package ui

import (
	"net/url"
	"strings"

	"github.com/stillcast/stillcast/encoder"
)

// hasURLSecrets reports whether a server URL carries secrets of its own:
// a user and password, or a query (stream services put tokens there).
func hasURLSecrets(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	return err == nil && (u.User != nil || u.RawQuery != "")
}

// hideURLSecrets is raw fit to show: its userinfo and query values
// hidden. Text that is no URL comes back as it was.
func hideURLSecrets(raw string) string { return encoder.RedactedURL(raw, "") }

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
