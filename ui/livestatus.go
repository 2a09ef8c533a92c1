package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/stillcast/stillcast/encoder"
	"github.com/stillcast/stillcast/ui/human"
)

// liveView is the status of a stream: a headline, LIVE while any
// destination is on air and how many of them are, then one row per
// destination. It shows only what the encoder reports, which never holds
// the stream key, and the destinations as the encoder redacted them.
type liveView struct {
	dot         *canvas.Circle
	state       *widget.Label // the stream as a whole: "LIVE", "Connecting", …
	detail      *widget.Label // "1 of 2 on air", or how long it was on air
	reason      *widget.Label // why the stream ended, when no row says it already
	track       *widget.Label // the playlist's track on air: "♪ Artist – Title (2/3)"
	pictureNote *widget.Label // a change of picture under way, or why it failed

	rows    []*destRow
	rowBox  *fyne.Container
	content *fyne.Container

	stopping bool // a stop was asked for: the headline says so until the end
	now      func() time.Time
}

func newLiveView() *liveView {
	v := &liveView{now: time.Now, dot: &canvas.Circle{}}
	v.state = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	v.detail = &widget.Label{}
	v.reason = &widget.Label{Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord}
	v.track = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	v.pictureNote = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	v.rowBox = container.NewVBox()
	// The track on air shares the headline's line: the rows need the room.
	headline := container.NewBorder(nil, nil, container.NewHBox(stateDot(v.dot), v.state, v.detail), nil, v.track)
	v.content = container.NewVBox(headline, v.pictureNote, v.reason, v.rowBox)
	v.content.Hide()
	return v
}

// begin shows a stream about to start towards the destinations named.
func (v *liveView) begin(names []string) {
	v.stopping = false
	v.rows = nil
	v.rowBox.RemoveAll()
	for _, name := range names {
		v.addRow(name)
	}
	v.track.Hide()
	v.pictureNote.Hide()
	v.reason.Hide()
	v.showHeadline()
	v.content.Show()
}

func (v *liveView) addRow(name string) *destRow {
	r := newDestRow(name)
	if len(v.rows) > 0 {
		v.rowBox.Add(widget.NewSeparator())
	}
	v.rows = append(v.rows, r)
	v.rowBox.Add(r.content)
	return r
}

// row is destination i's row, made if the encoder names one more
// destination than the window knew of.
func (v *liveView) row(i int) *destRow {
	for len(v.rows) <= i {
		v.addRow("")
	}
	return v.rows[i]
}

// nowPlaying shows the playlist's track that reached the stream.
func (v *liveView) nowPlaying(np encoder.NowPlaying) {
	v.track.SetText(nowPlayingText(np))
	v.track.Show()
}

// nowPlayingText is "♪ Artist – Title (2/3)", without the count for a
// single track.
func nowPlayingText(np encoder.NowPlaying) string {
	text := "♪ " + np.Info.Label()
	if np.Tracks > 1 {
		text += fmt.Sprintf(" (%d/%d)", np.Track+1, np.Tracks)
	}
	return text
}

// switchingPicture says a new picture is on its way to the stream.
func (v *liveView) switchingPicture(path string) {
	v.pictureNote.Importance = widget.MediumImportance
	v.pictureNote.SetText(lang.L("Switching picture to {{.Name}}…", map[string]any{"Name": filepath.Base(path)}))
	v.pictureNote.Show()
}

// pictureChanged shows the answer to a change of picture.
func (v *liveView) pictureChanged(ev encoder.PictureChanged) {
	if ev.Err != nil {
		v.pictureNote.Importance = widget.WarningImportance
		v.pictureNote.SetText(lang.L("The picture was not changed: {{.Reason}}", map[string]any{"Reason": errorText(ev.Err)}))
	} else {
		v.pictureNote.Importance = widget.MediumImportance
		v.pictureNote.SetText(lang.L("On air now: {{.Name}}", map[string]any{"Name": filepath.Base(ev.Path)}))
	}
	v.pictureNote.Show()
}

// apply shows one destination's status.
func (v *liveView) apply(st encoder.LiveStatus) {
	if st.Dest < 0 {
		return
	}
	v.row(st.Dest).apply(st, v.now())
	v.showHeadline()
}

// tick moves the countdowns and the graphs on, about once a second.
func (v *liveView) tick() {
	if !v.content.Visible() {
		return
	}
	now := v.now()
	for _, r := range v.rows {
		r.tick(now)
	}
}

// stopping says a stop was asked for and is under way.
func (v *liveView) stop() {
	v.stopping = true
	setState(v.state, v.dot, lang.L("Stopping…"), widget.MediumImportance, theme.ColorNameDisabled)
}

// showHeadline shows the stream as a whole: LIVE while any destination
// is on air, and how many are.
func (v *liveView) showHeadline() {
	if v.stopping {
		return
	}
	text, importance, dot := stateLook(overallState(v.rows))
	setState(v.state, v.dot, text, importance, dot)
	on := 0
	for _, r := range v.rows {
		if r.last.State == encoder.LiveOnAir {
			on++
		}
	}
	v.detail.SetText(lang.L("{{.On}} of {{.All}} on air", map[string]any{"On": on, "All": len(v.rows)}))
}

// overallState is the stream's state from its destinations': on air if
// any is, else trying if any is, else failed if all failed.
func overallState(rows []*destRow) encoder.LiveState {
	has := map[encoder.LiveState]bool{}
	for _, r := range rows {
		has[r.last.State] = true
	}
	for _, s := range []encoder.LiveState{encoder.LiveOnAir, encoder.LiveReconnecting, encoder.LiveConnecting, encoder.LiveStopped} {
		if has[s] {
			return s
		}
	}
	if has[encoder.LiveFailed] {
		return encoder.LiveFailed
	}
	return encoder.LiveConnecting
}

// finish shows how the stream ended: err nil stopped as asked, after
// onAir in all; otherwise failed, and why, unless a row says it already.
func (v *liveView) finish(err error, onAir time.Duration) {
	v.stopping = false
	for _, r := range v.rows {
		r.end()
	}
	v.pictureNote.Hide()
	if err == nil {
		setState(v.state, v.dot, lang.L("Stopped"), widget.MediumImportance, theme.ColorNameDisabled)
		v.detail.SetText(lang.L("on air for {{.Length}} in all", map[string]any{"Length": human.Clock(onAir)}))
		v.reason.Hide()
		return
	}
	text, importance, dot := stateLook(encoder.LiveFailed)
	setState(v.state, v.dot, text, importance, dot)
	v.detail.SetText(lang.L("the stream has ended"))
	why := sentence(liveFailureText(err))
	v.reason.SetText(why)
	v.reason.Show()
	for _, r := range v.rows {
		if r.reason.Visible() && r.reason.Text == why {
			v.reason.Hide()
		}
	}
	v.content.Show() // a stream that never started shows why, too
}

// liveFailureText says why a stream dropped or ended, in one line.
func liveFailureText(err error) string {
	if errors.Is(err, encoder.ErrKeyRejected) {
		return lang.L("the server rejected the stream key: check the key on the site's streaming page")
	}
	return failureText(err)
}

func dashUnless(ok bool, text string) string {
	if !ok {
		return "–"
	}
	return text
}

// humanBitrate writes bits per second as 812 kbit/s or 2.5 Mbit/s.
func humanBitrate(bps int) string {
	if bps >= 1_000_000 {
		return fmt.Sprintf("%.1f Mbit/s", float64(bps)/1e6)
	}
	return fmt.Sprintf("%d kbit/s", (bps+500)/1000)
}
