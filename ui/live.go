package ui

import (
	"errors"
	"fmt"
	"image"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/stillcast/stillcast/encoder"
)

// customService is the service whose server the user types.
const customService = "custom"

// secondKeyName is what the key store keeps the second server's key under,
// beside the services' names.
const secondKeyName = "Second server"

// livePanel holds the Go Live settings: where to stream, with which key,
// at which bitrate. It turns them into encoder.Live; the encoder checks
// them, so the window and the command line refuse the same things.
type livePanel struct {
	prefs     fyne.Preferences
	keys      *keyStore // nil when there is nowhere to keep keys
	onChanged func()

	service  *widget.Select
	server   *widget.SelectEntry // offers the service's RTMP and RTMPS servers
	key      *widget.Entry       // a password entry: the only widget that ever holds the key
	remember *widget.Check
	keyError *widget.Label // problems of the key store, never the key
	bitrate  *widget.Entry
	// second adds a destination: the same stream, to server2 with key2.
	second       *widget.Check
	server2      *widget.SelectEntry // offers every known service's servers
	key2         *widget.Entry
	secondFields *fyne.Container
	options      liveOptions
	// loading stops the callbacks while a service fills in its server.
	loading bool
	locked  bool // a job runs
}

func newLivePanel(p fyne.Preferences, keys *keyStore, onChanged func()) *livePanel {
	l := &livePanel{prefs: p, keys: keys, onChanged: onChanged}
	var names []string
	for _, sv := range encoder.Services() {
		names = append(names, serviceLabel(sv))
	}
	l.service = &widget.Select{Options: names, PlaceHolder: lang.L(selectPlaceholder), OnChanged: l.onServiceChanged}
	l.server = widget.NewSelectEntry(nil)
	l.server.PlaceHolder = "rtmp://server/app"
	l.server.OnChanged = l.onServerChanged
	l.server.AlwaysShowValidationError = true
	l.key = &widget.Entry{Password: true, PlaceHolder: lang.L("from the site's streaming page"), OnChanged: l.onKeyChanged, AlwaysShowValidationError: true}
	l.remember = &widget.Check{Text: lang.L("Remember key"), OnChanged: l.onRememberChanged}
	l.keyError = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord, SizeName: captionSize}
	l.keyError.Hide()
	l.bitrate = &widget.Entry{OnChanged: l.onBitrateChanged, AlwaysShowValidationError: true}
	l.showDefaultBitrate(image.Point{})
	l.second = &widget.Check{Text: lang.L("A second server, from the same encode"), OnChanged: l.onSecondChanged}
	var all []string
	for _, sv := range encoder.Services() {
		all = append(all, serverOptions(sv)...)
	}
	l.server2 = widget.NewSelectEntry(all)
	l.server2.PlaceHolder = "rtmp://second.server/app"
	l.server2.OnChanged = l.onServer2Changed
	l.server2.AlwaysShowValidationError = true
	l.key2 = &widget.Entry{Password: true, PlaceHolder: lang.L("its stream key"), OnChanged: l.onKeyChanged, AlwaysShowValidationError: true}

	l.remember.Checked = p.Bool(prefRememberKey)
	sv := l.selectedService(p.StringWithFallback(prefLiveService, names[0]))
	l.service.Selected = serviceLabel(sv)
	l.server.SetOptions(serverOptions(sv))
	l.server.Text = l.loadServer(prefLiveServer, sv.Server())
	l.bitrate.Text = p.String(prefLiveBitrate)
	l.second.Checked = p.Bool(prefLiveSecond)
	l.server2.Text = l.loadServer(prefLiveServer2, "")
	l.newLiveOptions()
	l.loadKey()
	return l
}

// rows are the panel's label/field pairs for the form's grid. The fields
// are marked under the names encoder.FieldError uses: url, key, bitrate.
func (l *livePanel) rows(errs map[string]*widget.Label) []fyne.CanvasObject {
	return append([]fyne.CanvasObject{
		formLabel(lang.L("Service")), l.service,
		formLabel(lang.L("Server")), withError(l.server, errs["url"]),
		formLabel(lang.L("Stream key")), container.NewVBox(withError(container.NewBorder(nil, nil, nil, l.remember, l.key), errs["key"]), l.keyError),
		formLabel(lang.L("Bitrate")), withError(container.NewBorder(nil, nil, nil, &widget.Label{Text: lang.L("bits per second")}, l.bitrate), errs["bitrate"]),
		formLabel(lang.L("Also to")), container.NewVBox(l.second, l.secondRows(errs)),
	}, l.optionRows(errs)...)
}

// secondRows are the second server's fields, shown while it is ticked.
func (l *livePanel) secondRows(errs map[string]*widget.Label) fyne.CanvasObject {
	l.secondFields = container.NewVBox(withError(l.server2, errs["url2"]), withError(l.key2, errs["key2"]))
	l.showSecond()
	return l.secondFields
}

func (l *livePanel) showSecond() {
	if l.second.Checked {
		l.secondFields.Show()
	} else {
		l.secondFields.Hide()
	}
}

func (l *livePanel) onSecondChanged(on bool) {
	l.prefs.SetBool(prefLiveSecond, on)
	l.showSecond()
	l.showCAFile()
	l.onChanged()
}

func (l *livePanel) onServer2Changed(text string) {
	l.saveServer(prefLiveServer2, text)
	l.showCAFile()
	l.onChanged()
}

// selectedService is the service called name, as preferences keep it
// or the list says it, or the first one.
func (l *livePanel) selectedService(name string) encoder.Service {
	services := encoder.Services()
	for _, sv := range services {
		if sv.Name == name || serviceLabel(sv) == name {
			return sv
		}
	}
	return services[0]
}

// serverOptions are the ingest servers a service offers, RTMP first.
func serverOptions(sv encoder.Service) []string {
	var out []string
	for _, u := range []string{sv.URL, sv.SecureURL} {
		if u != "" {
			out = append(out, u)
		}
	}
	return out
}

// serviceLabel is how the list says sv: its own name, or Custom in the
// window's language.
func serviceLabel(sv encoder.Service) string {
	if sv.ID == customService {
		return lang.L("Custom RTMP")
	}
	return sv.Name
}

func (l *livePanel) onServiceChanged(label string) {
	sv := l.selectedService(label)
	l.prefs.SetString(prefLiveService, sv.Name)
	l.server.SetOptions(serverOptions(sv))
	server := sv.Server()
	if sv.ID == customService {
		server = l.loadServer(prefLiveCustomServer, "")
	}
	l.loading = true // one change, not two
	l.server.SetText(server)
	l.loading = false
	l.saveServer(prefLiveServer, server)
	l.showCAFile()
	l.loadKey()
	l.onChanged()
}

func (l *livePanel) onServerChanged(text string) {
	if l.loading {
		return
	}
	l.saveServer(prefLiveServer, text)
	l.showCAFile()
	if l.selectedService(l.service.Selected).ID == customService {
		l.saveServer(prefLiveCustomServer, text)
	}
	l.onChanged()
}

func (l *livePanel) onKeyChanged(string) {
	if l.loading {
		return
	}
	if l.remember.Checked {
		l.storeKeys()
	}
	l.onChanged()
}

func (l *livePanel) onBitrateChanged(text string) {
	l.prefs.SetString(prefLiveBitrate, strings.TrimSpace(text))
	l.onChanged()
}

func (l *livePanel) onRememberChanged(on bool) {
	l.prefs.SetBool(prefRememberKey, on)
	if on {
		l.storeKeys()
		return
	}
	// Unticking forgets the keys at once.
	if l.keys == nil {
		return
	}
	err := l.keys.SetKey(l.selectedService(l.service.Selected).Name, "")
	if err == nil {
		err = l.keys.SetKey(secondKeyName, "")
	}
	l.showKeyError(err)
	if err == nil {
		l.storeServers()
	}
}

// loadKey fills in the keys remembered for the service and the second
// server, when keys are remembered; otherwise the keys typed stay.
func (l *livePanel) loadKey() {
	if l.keys == nil || !l.remember.Checked {
		return
	}
	key, err := l.keys.Key(l.selectedService(l.service.Selected).Name)
	key2, err2 := l.keys.Key(secondKeyName)
	l.showKeyError(errors.Join(err, err2))
	l.loading = true
	l.key.SetText(key)
	l.key2.SetText(key2)
	l.loading = false
}

// storeKeys remembers the keys typed: the service's under its name.
func (l *livePanel) storeKeys() {
	if l.keys == nil {
		l.showKeyError(errors.New(lang.L("there is no configuration folder to keep the key in")))
		return
	}
	err := l.keys.SetKey(l.selectedService(l.service.Selected).Name, strings.TrimSpace(l.key.Text))
	if err == nil {
		err = l.keys.SetKey(secondKeyName, strings.TrimSpace(l.key2.Text))
	}
	l.showKeyError(err)
	if err == nil {
		l.storeServers()
	}
}

func (l *livePanel) showKeyError(err error) {
	if err == nil {
		l.keyError.Hide()
		return
	}
	l.keyError.SetText(lang.L("The stream key cannot be remembered: {{.Reason}}", map[string]any{"Reason": err.Error()}))
	l.keyError.Show()
}

// settings reads the panel into encoder.Live. A bitrate that does not
// parse comes back as a *encoder.FieldError; the rest is for Validate.
func (l *livePanel) settings() (encoder.Live, error) {
	live := encoder.Live{Destinations: []encoder.Destination{l.destination()}}
	l.applyOptions(&live)
	if l.second.Checked {
		live.Destinations = append(live.Destinations, encoder.Destination{URL: strings.TrimSpace(l.server2.Text), Key: strings.TrimSpace(l.key2.Text)})
	}
	if text := strings.TrimSpace(l.bitrate.Text); text != "" {
		rate, err := encoder.ParseBitrate(text)
		if err != nil {
			return live, &encoder.FieldError{Field: "bitrate", Err: errors.New(lang.L("not a bitrate: use 2500k, 2.5M or bits per second"))}
		}
		live.Bitrate = rate
	}
	return live, nil
}

// destination is the server and key as typed. A pasted key often brings
// a newline along; it is never part of the key.
func (l *livePanel) destination() encoder.Destination {
	return encoder.Destination{URL: strings.TrimSpace(l.server.Text), Key: strings.TrimSpace(l.key.Text)}
}

// showDefaultBitrate shows, as the bitrate's placeholder, what an empty
// field streams at for a canvas; a zero canvas is not known yet.
func (l *livePanel) showDefaultBitrate(canvas image.Point) {
	if canvas.X <= 0 || canvas.Y <= 0 {
		l.bitrate.SetPlaceHolder(lang.L("automatic, by the size"))
		return
	}
	l.bitrate.SetPlaceHolder(lang.L("{{.Bitrate}} (default)", map[string]any{"Bitrate": formatBitrate(encoder.DefaultBitrate(canvas.X, canvas.Y))}))
}

// formatBitrate writes bits per second the way the bitrate field reads
// them: 2500k, 800k.
func formatBitrate(bps int) string {
	return fmt.Sprintf("%dk", (bps+500)/1000)
}

// setEnabled locks the panel while a job runs.
func (l *livePanel) setEnabled(on bool) {
	l.locked = !on
	o := &l.options
	for _, w := range []fyne.Disableable{l.service, l.server, l.key, l.remember, l.bitrate, l.second, l.server2, l.key2, o.titleCard, o.caFile, o.caChoose} {
		if on {
			w.Enable()
		} else {
			w.Disable()
		}
	}
	l.enableTrackArt(on)
}
