package ui

import (
	"errors"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/stillcast/stillcast/encoder"
)

// liveService is a streaming site and the RTMP server it publishes to.
type liveService struct {
	Name   string
	Server string // "" for a custom server the user types
}

// liveServices are offered in this order; the last one is the custom one.
var liveServices = []liveService{
	{Name: "YouTube", Server: "rtmp://a.rtmp.youtube.com/live2"},
	{Name: "Twitch", Server: "rtmp://live.twitch.tv/app"},
	{Name: "Facebook", Server: "rtmps://live-api-s.facebook.com:443/rtmp/"},
	{Name: "Custom RTMP", Server: ""},
}

// livePanel holds the Go Live settings. Streaming itself arrives in the
// next release; until then the panel only collects and remembers them.
type livePanel struct {
	prefs     fyne.Preferences
	keys      *keyStore // nil when there is nowhere to keep keys
	onChanged func()

	service  *widget.Select
	server   *widget.Entry
	key      *widget.Entry
	remember *widget.Check
	keyError *widget.Label // problems of the key store, never the key
}

func newLivePanel(p fyne.Preferences, keys *keyStore, onChanged func()) *livePanel {
	l := &livePanel{prefs: p, keys: keys, onChanged: onChanged}
	names := make([]string, len(liveServices))
	for i, s := range liveServices {
		names[i] = s.Name
	}
	l.service = &widget.Select{Options: names, OnChanged: l.onServiceChanged}
	l.server = &widget.Entry{PlaceHolder: "rtmp://server/app", OnChanged: l.onServerChanged, AlwaysShowValidationError: true}
	l.key = &widget.Entry{Password: true, PlaceHolder: "from the site's streaming page", OnChanged: l.onKeyChanged, AlwaysShowValidationError: true}
	l.remember = &widget.Check{Text: "Remember key", OnChanged: l.onRememberChanged}
	l.keyError = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord, SizeName: captionSize}
	l.keyError.Hide()

	l.remember.Checked = p.Bool(prefRememberKey)
	l.service.Selected = p.StringWithFallback(prefLiveService, liveServices[0].Name)
	l.server.Text = p.StringWithFallback(prefLiveServer, serverFor(l.service.Selected))
	l.loadKey()
	return l
}

// rows are the panel's label/field pairs for the form's grid.
func (l *livePanel) rows(errs map[string]*widget.Label) []fyne.CanvasObject {
	return []fyne.CanvasObject{
		formLabel("Service"), l.service,
		formLabel("Server"), withError(l.server, errs["server"]),
		formLabel("Stream key"), container.NewVBox(withError(l.key, errs["key"]), l.remember, l.keyError),
	}
}

func serverFor(service string) string {
	for _, s := range liveServices {
		if s.Name == service {
			return s.Server
		}
	}
	return ""
}

func (l *livePanel) onServiceChanged(name string) {
	l.prefs.SetString(prefLiveService, name)
	if server := serverFor(name); server != "" {
		l.server.SetText(server)
	}
	l.loadKey()
	l.onChanged()
}

func (l *livePanel) onServerChanged(text string) {
	l.prefs.SetString(prefLiveServer, strings.TrimSpace(text))
	l.onChanged()
}

func (l *livePanel) onKeyChanged(string) {
	if l.remember.Checked {
		l.storeKey(l.key.Text)
	}
	l.onChanged()
}

func (l *livePanel) onRememberChanged(on bool) {
	l.prefs.SetBool(prefRememberKey, on)
	if on {
		l.storeKey(l.key.Text)
	} else {
		l.storeKey("") // unticking forgets the key at once
	}
}

func (l *livePanel) loadKey() {
	if l.keys == nil || !l.remember.Checked {
		return
	}
	key, err := l.keys.Key(l.service.Selected)
	l.showKeyError(err)
	l.key.Text = key
	l.key.Refresh()
}

func (l *livePanel) storeKey(key string) {
	if l.keys == nil {
		l.showKeyError(errors.New("there is no configuration folder to keep the key in"))
		return
	}
	l.showKeyError(l.keys.SetKey(l.service.Selected, key))
}

func (l *livePanel) showKeyError(err error) {
	if err == nil {
		l.keyError.Hide()
		return
	}
	l.keyError.SetText(err.Error())
	l.keyError.Show()
}

// validate returns the problems with the live settings as field errors,
// in the same shape as encoder.Settings.Validate.
func (l *livePanel) validate() error {
	var errs []error
	server := strings.TrimSpace(l.server.Text)
	u, err := url.Parse(server)
	switch {
	case server == "":
		errs = append(errs, &encoder.FieldError{Field: "server", Err: errors.New("no server address")})
	case err != nil || (u.Scheme != "rtmp" && u.Scheme != "rtmps") || u.Host == "":
		errs = append(errs, &encoder.FieldError{Field: "server", Err: errors.New("use an rtmp:// or rtmps:// address, like rtmp://live.example.com/app")})
	}
	if strings.TrimSpace(l.key.Text) == "" {
		errs = append(errs, &encoder.FieldError{Field: "key", Err: errors.New("paste the stream key from the site's streaming page")})
	}
	return errors.Join(errs...)
}
