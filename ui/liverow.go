package ui

import (
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

// destRow is one destination of a stream: its state, its redacted
// address, its figures, why it is reconnecting or failed, and its bitrate
// graph. Each destination has its own connection, so each row moves on
// by its own statuses.
type destRow struct {
	dot    *canvas.Circle
	state  *widget.Label
	name   *widget.Label // the address, its secrets hidden by the encoder
	detail *widget.Label // which attempt comes next, and when
	reason *widget.Label // why it is reconnecting or failed

	uptime     *widget.Label
	bitrate    *widget.Label
	sent       *widget.Label
	reconnects *widget.Label
	graph      *bitrateGraph
	content    *fyne.Container

	last    encoder.LiveStatus
	retryAt time.Time // when the next attempt starts, while reconnecting
}

// liveDotSize is the diameter of a state's dot.
const liveDotSize = 14

func newDestRow(name string) *destRow {
	r := &destRow{dot: &canvas.Circle{}, graph: newBitrateGraph()}
	r.state = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	r.name = &widget.Label{Text: name, Truncation: fyne.TextTruncateEllipsis}
	r.detail = &widget.Label{Importance: widget.LowImportance}
	r.reason = &widget.Label{Importance: widget.WarningImportance, Wrapping: fyne.TextWrapWord}
	r.reason.Hide()
	figure := func(caption string) (*fyne.Container, *widget.Label) {
		value := &widget.Label{Text: "–", TextStyle: fyne.TextStyle{Bold: true}}
		return container.NewHBox(&widget.Label{Text: caption, Importance: widget.LowImportance}, value), value
	}
	up, upValue := figure(lang.L("Uptime"))
	rate, rateValue := figure(lang.L("Bitrate"))
	sent, sentValue := figure(lang.L("Sent"))
	re, reValue := figure(lang.L("Reconnects"))
	r.uptime, r.bitrate, r.sent, r.reconnects = upValue, rateValue, sentValue, reValue

	headline := container.NewBorder(nil, nil, container.NewHBox(stateDot(r.dot), r.state), r.detail, r.name)
	figures := container.NewGridWithColumns(4, up, rate, sent, re)
	r.content = container.NewBorder(nil, nil, nil, container.NewCenter(r.graph),
		container.NewVBox(headline, figures, r.reason))
	r.show(encoder.LiveStatus{State: encoder.LiveConnecting, Attempt: 1}, time.Time{})
	return r
}

// stateDot holds a state's dot at its size.
func stateDot(dot *canvas.Circle) fyne.CanvasObject {
	return container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(liveDotSize), dot))
}

// apply shows one of the destination's statuses, received at now.
func (r *destRow) apply(st encoder.LiveStatus, now time.Time) {
	if st.Name != "" {
		r.name.SetText(st.Name)
	}
	switch st.State {
	case encoder.LiveOnAir:
		r.graph.onAir(now, st.Bitrate)
	case encoder.LiveReconnecting, encoder.LiveFailed:
		r.graph.dropped(now)
	}
	r.show(st, now)
}

// show fills the row in from st; now sets the countdown to the next try.
func (r *destRow) show(st encoder.LiveStatus, now time.Time) {
	r.last = st
	r.retryAt = time.Time{}
	if st.State == encoder.LiveReconnecting {
		r.retryAt = now.Add(st.NextTry)
	}
	text, importance, dot := stateLook(st.State)
	setState(r.state, r.dot, text, importance, dot)
	r.detail.SetText(r.detailText(now))
	if st.Err != nil && (st.State == encoder.LiveReconnecting || st.State == encoder.LiveFailed) {
		r.reason.SetText(sentence(liveFailureText(st.Err)))
		r.reason.Show()
	} else {
		r.reason.Hide()
	}
	onAir := st.State == encoder.LiveOnAir
	r.uptime.SetText(dashUnless(onAir, human.Clock(st.Uptime)))
	r.bitrate.SetText(dashUnless(onAir && st.Bitrate > 0, humanBitrate(st.Bitrate)))
	r.sent.SetText(sentText(st.Sent))
	r.reconnects.SetText(fmt.Sprint(st.Reconnects))
}

// tick moves the countdown to the next try on, and the graph's time.
func (r *destRow) tick(now time.Time) {
	if r.last.State == encoder.LiveReconnecting {
		r.detail.SetText(r.detailText(now))
	}
	r.graph.flush(now)
}

// end shows the destination stopped with the stream, unless it had
// failed on its own, which keeps its reason.
func (r *destRow) end() {
	if r.last.State == encoder.LiveFailed {
		return
	}
	r.show(encoder.LiveStatus{State: encoder.LiveStopped, Reconnects: r.last.Reconnects, Sent: r.last.Sent}, time.Time{})
}

// detailText is which attempt comes next and when, while reconnecting,
// or the attempt while connecting again.
func (r *destRow) detailText(now time.Time) string {
	st := r.last
	switch {
	case st.State == encoder.LiveReconnecting:
		wait := max(r.retryAt.Sub(now), 0)
		return lang.L("attempt {{.Attempt}}, next try in {{.Seconds}} s", map[string]any{"Attempt": st.Attempt, "Seconds": int((wait + time.Second - 1).Seconds())})
	case st.State == encoder.LiveConnecting && st.Attempt > 1:
		return lang.L("attempt {{.Attempt}}", map[string]any{"Attempt": st.Attempt})
	}
	return ""
}

// sentText is the bytes sent, in kB and up: "bytes" has no place in a
// row of figures, nor in a Chinese window.
func sentText(n int64) string {
	switch {
	case n <= 0:
		return "–"
	case n < 1000:
		return "< 1 kB"
	}
	return human.Bytes(n)
}

// stateLook is how a state is shown: its word, the word's importance and
// the dot's colour.
func stateLook(s encoder.LiveState) (string, widget.Importance, fyne.ThemeColorName) {
	switch s {
	case encoder.LiveOnAir:
		return lang.L("LIVE"), widget.DangerImportance, theme.ColorNameError
	case encoder.LiveReconnecting:
		return lang.L("Reconnecting"), widget.WarningImportance, theme.ColorNameWarning
	case encoder.LiveStopped:
		return lang.L("Stopped"), widget.MediumImportance, theme.ColorNameDisabled
	case encoder.LiveFailed:
		return lang.L("Failed"), widget.DangerImportance, theme.ColorNameDisabled
	}
	return lang.L("Connecting"), widget.MediumImportance, theme.ColorNameWarning
}

func setState(label *widget.Label, dot *canvas.Circle, text string, importance widget.Importance, color fyne.ThemeColorName) {
	label.Importance = importance
	label.SetText(text)
	dot.FillColor = theme.Color(color)
	dot.Refresh()
}
