package ui

import "strings"

// Fyne writes its preferences file itself, readable by every local user
// (0644), so a server URL's secrets (a user and password, a query token)
// never go there: the preferences keep the URL without them, and the full
// URL is kept in the private key store while "Remember key" is ticked.

// serverKeyName is what the key store keeps the full URL of the server
// preference pref under, beside the services' keys.
func serverKeyName(pref string) string { return "server URL " + pref }

// serverPrefs are the preferences that hold server URLs.
func serverPrefs() []string {
	return []string{prefLiveServer, prefLiveCustomServer, prefLiveServer2}
}

// saveServer remembers the server URL typed for pref: its public part in
// the preferences, the whole of it in the key store when it has secrets
// and keys are remembered.
func (l *livePanel) saveServer(pref, text string) {
	server := strings.TrimSpace(text)
	public := server
	if hasURLSecrets(server) {
		public = withoutURLSecrets(server)
	}
	l.prefs.SetString(pref, public)
	if l.keys == nil {
		return
	}
	full := ""
	if public != server && l.remember.Checked {
		full = server
	}
	l.showKeyError(l.keys.SetKey(serverKeyName(pref), full))
}

// loadServer is the server URL remembered for pref, or fallback: the full
// URL from the key store when it belongs to the public part in the
// preferences. A URL with secrets that an older Stillcast left in the
// preferences moves out of them.
func (l *livePanel) loadServer(pref, fallback string) string {
	server := l.prefs.StringWithFallback(pref, fallback)
	if hasURLSecrets(server) {
		l.saveServer(pref, server)
		return server
	}
	if l.keys == nil || !l.remember.Checked {
		return server
	}
	full, err := l.keys.Key(serverKeyName(pref))
	l.showKeyError(err)
	if full != "" && withoutURLSecrets(full) == server {
		return full
	}
	return server
}

// storeServers keeps the secrets of the servers typed, as "Remember key"
// is ticked, or forgets them all as it is unticked.
func (l *livePanel) storeServers() {
	typed := map[string]string{prefLiveServer: l.server.Text, prefLiveServer2: l.server2.Text}
	if l.selectedService(l.service.Selected).ID == customService {
		typed[prefLiveCustomServer] = l.server.Text
	}
	for _, pref := range serverPrefs() {
		text, ok := typed[pref]
		switch {
		case !l.remember.Checked:
			text = withoutURLSecrets(l.prefs.String(pref))
		case !ok:
			continue // not on screen: what is kept stays
		}
		l.saveServer(pref, text)
	}
}
