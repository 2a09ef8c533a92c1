package encoder

import (
	"crypto/tls"
	"fmt"
	"maps"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/stillcast/stillcast/encoder/publish"
)

// Service is a streaming platform whose ingest server Stillcast knows.
type Service struct {
	ID        string // "youtube", as --service takes it
	Name      string // "YouTube", as a person reads it
	URL       string // the RTMP ingest server; empty when there is none
	SecureURL string // the RTMPS ingest server; empty when there is none
}

// Server is the service's preferred ingest: RTMP when it has one.
func (sv Service) Server() string {
	if sv.URL != "" {
		return sv.URL
	}
	return sv.SecureURL
}

// Services lists the known platforms, Custom last.
func Services() []Service {
	return []Service{
		{ID: "youtube", Name: "YouTube", URL: "rtmp://a.rtmp.youtube.com/live2", SecureURL: "rtmps://a.rtmps.youtube.com:443/live2"},
		{ID: "twitch", Name: "Twitch", URL: "rtmp://live.twitch.tv/app"},
		{ID: "facebook", Name: "Facebook", SecureURL: "rtmps://live-api-s.facebook.com:443/rtmp/"},
		// Bilibili's live centre (link.bilibili.com, 我的直播间 → 开播设置)
		// shows this as the 服务器地址 for third-party encoders such as OBS,
		// and its stream key (推流码) as "?streamname=live_…&key=…", which
		// address() appends after the slash, as OBS does. Bilibili has no
		// RTMPS ingest. Douyin and Huya hand out a new address per session,
		// with no fixed public one, so they are left to Custom.
		{ID: "bilibili", Name: "Bilibili", URL: "rtmp://live-push.bilivideo.com/live-bvc/"},
		{ID: "custom", Name: "Custom RTMP"},
	}
}

// ServiceByID finds a service by its ID, ignoring case.
func ServiceByID(id string) (Service, bool) {
	for _, sv := range Services() {
		if strings.EqualFold(sv.ID, id) {
			return sv, true
		}
	}
	return Service{}, false
}

// serviceForURL finds the known platform whose ingest host u points at.
func serviceForURL(u *url.URL) (Service, bool) {
	for _, sv := range Services() {
		for _, known := range []string{sv.URL, sv.SecureURL} {
			k, err := url.Parse(known)
			if known != "" && err == nil && strings.EqualFold(k.Hostname(), u.Hostname()) {
				return sv, true
			}
		}
	}
	return Service{}, false
}

// Destination is one ingest: the server URL and the stream key, kept
// apart so the key can be kept out of everything a person sees.
type Destination struct {
	URL string // rtmp:// or rtmps://, without the key
	Key string // may be empty when the server needs none
}

// hiddenKey stands in for a stream key in anything shown, hiddenSecret
// for URL userinfo and query values.
const (
	hiddenKey    = "[stream key]"
	hiddenSecret = "[hidden]"
)

// Redacted is the address with its secrets hidden, fit to show or log:
// the key, the user and password, and every query value.
func (d Destination) Redacted() string {
	if d.Key == "" {
		return RedactedURL(d.URL, "")
	}
	return RedactedURL(d.URL, hiddenKey)
}

// RedactedURL is a server URL fit to show: its userinfo and query values
// hidden, and key, the stream key's stand-in ("" for none), as the last
// element of its path, before any query, where the key is published.
// Text that is no URL comes back as it was, with key after it.
func RedactedURL(raw, key string) string {
	raw = strings.TrimSpace(raw)
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
	path := u.EscapedPath()
	if key != "" {
		path = strings.TrimRight(path, "/") + "/" + key
	}
	b.WriteString(u.Host + path)
	if u.RawQuery != "" {
		q := u.Query()
		parts := make([]string, 0, len(q))
		for _, k := range slices.Sorted(maps.Keys(q)) {
			parts = append(parts, url.QueryEscape(k)+"="+hiddenSecret)
		}
		b.WriteString("?" + strings.Join(parts, "&"))
	}
	return b.String()
}

// Live describes a live stream.
type Live struct {
	Destinations []Destination
	// Bitrate is the constant video bitrate in bits per second; 0 picks
	// DefaultBitrate for the canvas.
	Bitrate int
	// MaxReconnects ends a destination after this many reconnects in a
	// row fail; 0 reconnects forever, for 24/7 streams.
	MaxReconnects int
	// CAFile names a PEM file of certificate authorities trusted for
	// rtmps:// servers beside the system's, for self-hosted servers.
	CAFile string
	// TitleCard draws "Artist – Title" of the track on air onto the
	// picture.
	TitleCard bool
	// TrackArt shows the cover art embedded in the track on air, when it
	// has one, beside the title.
	TrackArt bool
	// CacheDir keeps the prepared media (picture segments, transcoded
	// tracks); "" is the user's cache folder.
	CacheDir string
}

// publishTLS is how rtmps:// servers are verified: the system's roots,
// and the CA file's; nil without a CA file (the system's roots alone).
func publishTLS(caFile string) (*tls.Config, error) {
	if caFile == "" {
		return nil, nil
	}
	c, err := publish.TLSConfig(caFile)
	if err != nil {
		return nil, fieldErr("ca-file", "%v", err)
	}
	return c, nil
}

// Bounds of Live.Bitrate.
const (
	minBitrate = 100_000
	MaxBitrate = 50_000_000
)

func (l Live) validate() []error {
	var errs []error
	for _, d := range l.Destinations {
		if err := d.validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if l.Bitrate != 0 && (l.Bitrate < minBitrate || l.Bitrate > MaxBitrate) {
		errs = append(errs, fieldErr("bitrate", "must be between 100k and 50M bits per second, not %d", l.Bitrate))
	}
	if _, err := publishTLS(l.CAFile); err != nil {
		errs = append(errs, err)
	}
	if l.MaxReconnects < 0 {
		errs = append(errs, fieldErr("retries", "must be 0 (forever) or more, not %d", l.MaxReconnects))
	}
	return errs
}

func (d Destination) validate() error {
	raw := strings.TrimSpace(d.URL)
	if raw == "" {
		return fieldErr("url", "no server URL: give an rtmp:// or rtmps:// address")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Scheme == "" {
		return fieldErr("url", "%q is not a server URL: give an address like rtmp://live.example.com/app", raw)
	}
	if s := strings.ToLower(u.Scheme); s != "rtmp" && s != "rtmps" {
		return fieldErr("url", "%s:// is not supported: use rtmp:// or rtmps://", u.Scheme)
	}
	if strings.Trim(u.Path, "/") == "" {
		return fieldErr("url", "%s has no application path (like /live2 or /app)", raw)
	}
	if d.Key == "" {
		if sv, ok := serviceForURL(u); ok {
			return fieldErr("key", "%s needs a stream key", sv.Name)
		}
	}
	if strings.ContainsAny(d.Key, " \t\r\n/") {
		return fieldErr("key", "the stream key must not contain spaces or slashes")
	}
	return nil
}

// DefaultBitrate is a constant video bitrate that keeps a still image
// crisp at the canvas size: far less than moving video needs.
func DefaultBitrate(w, h int) int {
	switch px := w * h; {
	case px <= 854*480:
		return 1_000_000
	case px <= 1280*720:
		return 1_500_000
	case px <= 1920*1080:
		return 2_500_000
	case px <= 2560*1440:
		return 4_500_000
	}
	return 8_000_000
}

// ParseBitrate reads "2500k", "2.5M" or plain bits per second.
func ParseBitrate(text string) (int, error) {
	t := strings.ToLower(strings.TrimSpace(text))
	mult := 1.0
	switch {
	case strings.HasSuffix(t, "k"):
		mult, t = 1e3, strings.TrimSuffix(t, "k")
	case strings.HasSuffix(t, "m"):
		mult, t = 1e6, strings.TrimSuffix(t, "m")
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || v < 0 || math.IsInf(v, 0) || v > math.MaxInt32 {
		return 0, fmt.Errorf("%q is not a bitrate: use 2500k, 2.5M or bits per second", text)
	}
	return int(v * mult), nil
}

// redactor hides every secret of dests in a text: keys, userinfo and
// query values, in every form they may be printed.
func redactor(dests []Destination) func(string) string {
	return publish.Redactor(targetsOf(dests, nil))
}
