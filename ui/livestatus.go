package ui

import (
	"errors"
	"fmt"
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

// liveView is the status of a stream: where it stands, with a coloured
// dot, and its figures. It shows only what the encoder reports, which
// never holds the stream key, and the destination as the encoder redacted
// it.
type liveView struct {
	dot    *canvas.Circle
	state  *widget.Label // "LIVE", "Connecting", "Reconnecting", …
	detail *widget.Label // where to, or when the next try is
	reason *widget.Label // why it is reconnecting
	track  *widget.Label // the playlist's track on air: "♪ Artist – Title (2/3)"

	uptime     *widget.Label
	bitrate    *widget.Label
	dropped    *widget.Label
	reconnects *widget.Label
	content    *fyne.Container

	target string // the destinations, redacted
	last   encoder.LiveStatus
	// retryAt is when the next attempt starts, while reconnecting; tick
	// counts down to it between the encoder's statuses.
	retryAt time.Time
	now     func() time.Time
}

// liveDotSize is the diameter of the state's dot.
const liveDotSize = 14

func newLiveView() *liveView {
	v := &liveView{now: time.Now}
	v.dot = &canvas.Circle{}
	v.state = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	v.detail = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	v.reason = &widget.Label{Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord}
	v.reason.Hide()
	v.track = &widget.Label{Truncation: fyne.TextTruncateEllipsis}
	v.track.Hide()
	figure := func(name string) (*fyne.Container, *widget.Label) {
		value := &widget.Label{Text: "–", TextStyle: fyne.TextStyle{Bold: true}}
		caption := &widget.Label{Text: name, Importance: widget.LowImportance}
		return container.NewHBox(caption, value), value
	}
	up, upValue := figure(lang.L("Uptime"))
	rate, rateValue := figure(lang.L("Bitrate"))
	drop, dropValue := figure(lang.L("Sent"))
	re, reValue := figure(lang.L("Reconnects"))
	v.uptime, v.bitrate, v.dropped, v.reconnects = upValue, rateValue, dropValue, reValue

	dot := container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(liveDotSize), v.dot))
	headline := container.NewBorder(nil, nil, container.NewHBox(dot, v.state), nil, v.detail)
	v.content = container.NewVBox(headline, v.track, container.NewGridWithColumns(4, up, rate, drop, re), v.reason)
	v.content.Hide()
	return v
}

// begin shows a stream about to start towards target.
func (v *liveView) begin(target string) {
	v.target = target
	v.last = encoder.LiveStatus{State: encoder.LiveConnecting, Attempt: 1}
	v.retryAt = time.Time{}
	v.track.Hide()
	v.show(v.last)
	v.content.Show()
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

// apply shows one of the encoder's statuses.
func (v *liveView) apply(st encoder.LiveStatus) {
	v.last = st
	v.retryAt = time.Time{}
	if st.State == encoder.LiveReconnecting {
		v.retryAt = v.now().Add(st.NextTry)
	}
	v.show(st)
}

// tick moves the countdown to the next try on; the encoder reports a
// reconnect once, with its wait.
func (v *liveView) tick() {
	if v.last.State == encoder.LiveReconnecting && v.content.Visible() {
		v.detail.SetText(v.detailText(v.last))
	}
}

// stopping says a stop was asked for and is under way.
func (v *liveView) stopping() {
	v.setState(lang.L("Stopping…"), widget.MediumImportance, theme.ColorNameDisabled)
}

func (v *liveView) show(st encoder.LiveStatus) {
	switch st.State {
	case encoder.LiveConnecting:
		v.setState(lang.L("Connecting"), widget.MediumImportance, theme.ColorNameWarning)
	case encoder.LiveOnAir:
		v.setState(lang.L("LIVE"), widget.DangerImportance, theme.ColorNameError)
	case encoder.LiveReconnecting:
		v.setState(lang.L("Reconnecting"), widget.WarningImportance, theme.ColorNameWarning)
	case encoder.LiveStopped:
		v.setState(lang.L("Stopped"), widget.MediumImportance, theme.ColorNameDisabled)
	case encoder.LiveFailed:
		v.setState(lang.L("Failed"), widget.DangerImportance, theme.ColorNameDisabled)
	}
	v.detail.SetText(v.detailText(st))
	if st.Err != nil && (st.State == encoder.LiveReconnecting || st.State == encoder.LiveFailed) {
		v.reason.SetText(sentence(liveFailureText(st.Err)))
		v.reason.Show()
	} else {
		v.reason.Hide()
	}
	onAir := st.State == encoder.LiveOnAir
	v.uptime.SetText(dashUnless(onAir, human.Clock(st.Uptime)))
	v.bitrate.SetText(dashUnless(onAir && st.Bitrate > 0, humanBitrate(st.Bitrate)))
	v.dropped.SetText(human.Bytes(st.Sent))
	v.reconnects.SetText(fmt.Sprint(st.Reconnects))
}

func (v *liveView) setState(text string, importance widget.Importance, dot fyne.ThemeColorName) {
	v.state.Importance = importance
	v.state.SetText(text)
	v.dot.FillColor = theme.Color(dot)
	v.dot.Refresh()
}

// detailText is the headline's second part: where the stream goes, or
// which attempt comes next and when.
func (v *liveView) detailText(st encoder.LiveStatus) string {
	switch st.State {
	case encoder.LiveConnecting:
		if st.Attempt > 1 {
			return lang.L("to {{.Target}} · attempt {{.Attempt}}", map[string]any{"Target": v.target, "Attempt": st.Attempt})
		}
		return lang.L("to {{.Target}}", map[string]any{"Target": v.target})
	case encoder.LiveReconnecting:
		wait := max(v.retryAt.Sub(v.now()), 0)
		return lang.L("attempt {{.Attempt}}, next try in {{.Seconds}} s", map[string]any{"Attempt": st.Attempt, "Seconds": int((wait + time.Second - 1).Seconds())})
	case encoder.LiveFailed:
		return lang.L("the stream has ended")
	}
	return lang.L("to {{.Target}}", map[string]any{"Target": v.target})
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
