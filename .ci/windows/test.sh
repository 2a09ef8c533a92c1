#!/usr/bin/env bash
# test.sh runs Stillcast's Windows build under Wine with a real Windows
# ffmpeg, and checks what it makes with the Linux ffprobe and ffmpeg.
# `make test-windows` builds its arguments and runs it:
#   test.sh STILLCAST_EXE FFMPEG_TEST_EXE WINDOWS_FFMPEG_DIR
# WINDOWS_FFMPEG_DIR holds ffmpeg.exe and ffprobe.exe. $WINE_PREFIX is the
# Wine prefix to use (made when missing); never the user's ~/.wine.
# Every process it starts, it stops, on failure too.
set -euo pipefail
exe=$(realpath "$1") gotest=$(realpath "$2") winff=$(realpath "$3")
here=$(cd "$(dirname "$0")" && pwd)
export WINEPREFIX=${WINE_PREFIX:-$HOME/.cache/stillcast/wine-prefix}
# Quiet and quick: no debug channels, no Mono or Gecko installers, and the
# stand-in bcryptprimitives.dll (see prng.c) used instead of Wine's own.
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;bcryptprimitives=n"
unset WINEPATH STILLCAST_FFMPEG DISPLAY

work=$(mktemp -d)
xvfb_pid=
cleanup() {
	[ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null || true
	wineserver -k 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
wpath() { winepath -w "$1" 2>/dev/null; }
# win runs a Windows program, giving up after 5 minutes.
win() { timeout 300 wine "$@"; }
# ffmpeg_running: an ffmpeg.exe runs (Wine shows it as "wine64 …\ffmpeg.exe
# …"; zombies are left out, since PID 1 of a container may never reap them).
ffmpeg_running() {
	ps -eo stat=,args= | awk '$1 !~ /^Z/ && ($2 ~ /ffmpeg[.]exe$/ || $3 ~ /ffmpeg[.]exe$/) { f = 1 } END { exit !f }'
}
# render_pid is the process of the stillcast.exe render that runs.
render_pid() { ps -eo pid=,args= | awk '$2 ~ /stillcast[.]exe$/ && $3 == "render" { print $1 }'; }

# setup_prefix makes the Wine prefix once: Wine links its Documents, Videos
# and the like to the Linux home by default, so they become real folders.
setup_prefix() {
	if [ ! -e "$WINEPREFIX/.stillcast-ready" ]; then
		step "making the Wine prefix $WINEPREFIX"
		rm -rf "$WINEPREFIX"
		mkdir -p "$WINEPREFIX"
		wineboot -i >/dev/null 2>&1 || true
		wineserver -w
		for link in "$WINEPREFIX"/drive_c/users/*/*; do
			if [ -L "$link" ]; then rm "$link" && mkdir "$link"; fi
		done
		touch "$WINEPREFIX/.stillcast-ready"
	fi
	# Go's os.RemoveAll fails under Wine 8 ("unlinkat: Invalid function";
	# plain os.Remove works), so every job leaves its temporary folder here.
	# A leftover of Wine's, not of Windows: cleared before each run.
	rm -rf "$WINEPREFIX"/drive_c/users/*/Temp/stillcast-*
	x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
		"$here/prng.c" "$here/prng.def" -ladvapi32
}

# check_video FILE FRAMES: exactly FRAMES frames, and it decodes without a
# word from ffmpeg.
check_video() {
	local n errors
	n=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 "$1")
	[ "$n" = "$2" ] || fail "$1 has $n frames, want $2"
	errors=$(ffmpeg -v error -i "$1" -f null - 2>&1)
	[ -z "$errors" ] || fail "$1 does not decode cleanly: $errors"
	echo "ok: $(basename "$1"): $n frames, decodes cleanly"
}

# check_no_leftovers DIR: no .part file in DIR, and no ffmpeg.exe running.
check_no_leftovers() {
	local parts
	parts=$(find "$1" -name '*.part')
	[ -z "$parts" ] || fail "left behind: $parts"
	for _ in $(seq 1 20); do ffmpeg_running || break; sleep 0.1; done
	! ffmpeg_running || fail "ffmpeg.exe still runs: $(ps -eo pid,stat,args | grep 'ffmpeg[.]exe')"
	echo "ok: no .part file in $1, no ffmpeg.exe running"
}

# wait_for_assembly DIR waits until ffmpeg.exe writes the output in DIR
# from the encoded segment, up to 2 minutes, and a second more. By then
# ffmpeg.exe is well past its start, and in its Job Object: under Wine
# CreateProcess returns only once the child has loaded.
wait_for_assembly() {
	for _ in $(seq 1 1200); do
		if [ -n "$(find "$1" -name '*.part' -size +0)" ] && ps -eo args= | grep -Eq 'ffmpeg[.]exe .*(concat|copy)'; then
			sleep 1 && return
		fi
		sleep 0.1
	done
	fail "ffmpeg.exe never started assembling"
}

# wait_for_encoding waits until an ffmpeg.exe reads frames from the pipe,
# up to 60 s, and a second more so that some have gone through.
wait_for_encoding() {
	for _ in $(seq 1 600); do
		if ps -eo args= | grep -q 'ffmpeg[.]exe .*rawvideo'; then sleep 1 && return; fi
		sleep 0.1
	done
	fail "ffmpeg.exe never started encoding"
}

# decoded_frames FILES... is the frames at 25 fps of the FILES' audio,
# decoded and joined: their samples counted, rounded to the frame.
decoded_frames() {
	local samples=0 f
	for f in "$@"; do
		samples=$((samples + $(ffmpeg -v error -i "$f" -map 0:a:0 -ac 1 -ar 44100 -f s16le - | wc -c) / 2))
	done
	awk -v s="$samples" 'BEGIN { printf "%.0f", s / 44100 * 25 }'
}

# render DIR ARGS... runs stillcast.exe from DIR with ARGS, its output
# into $work/log.
render() {
	local dir=$1
	shift
	win "$dir/stillcast.exe" render --progress plain "$@" >"$work/log" 2>&1 || {
		cat "$work/log" >&2
		fail "stillcast.exe render $* failed"
	}
}

# app DIR [PROGRAMS...] puts stillcast.exe in DIR, with the named
# programs of WINDOWS_FFMPEG_DIR beside it.
app() {
	mkdir -p "$1"
	ln "$exe" "$1/stillcast.exe" 2>/dev/null || cp "$exe" "$1/stillcast.exe"
	local p
	for p in "${@:2}"; do ln "$winff/$p" "$1/$p" 2>/dev/null || cp "$winff/$p" "$1/$p"; done
}

main() {
	local start=$SECONDS
	setup_prefix
	mkdir -p "$work/in" "$work/out"
	ffmpeg -v error -f lavfi -i testsrc2=size=320x240 -frames:v 1 "$work/in/picture.png"
	ffmpeg -v error -f lavfi -i sine=frequency=440:duration=3 -c:a libmp3lame "$work/in/song.mp3"
	app "$work/plain"
	pic=$(wpath "$work/in/picture.png") out=$(wpath "$work/out")

	step "Go tests of encoder/ffmpeg under Wine: finding ffmpeg, the named pipe, the Job Object"
	(cd "$work" && win "$gotest" -test.run 'TestFind|TestFramePipe|TestJob' -test.count 1 -test.v) >"$work/log" 2>&1 || {
		cat "$work/log" >&2
		fail "the Go tests failed under Wine"
	}
	grep -E '^(--- |ok|PASS)' "$work/log"

	renders
	finding
	failing_ffmpeg
	cancelled_render
	job_object
	window
	step "all Windows checks passed in $((SECONDS - start)) s"
}

renders() {
	step "a still-path render (a segment encoded once, copied), with --ffmpeg as a Windows path"
	render "$work/plain" --ffmpeg "$(wpath "$winff/ffmpeg.exe")" --duration 60s --fps 25 -o "$out\\still.mp4" "$pic"
	check_video "$work/out/still.mp4" 1500
	check_no_leftovers "$work/out"

	step "a per-frame render (--no-fast-path), with \$STILLCAST_FFMPEG"
	STILLCAST_FFMPEG=$(wpath "$winff/ffmpeg.exe") \
		render "$work/plain" --no-fast-path --duration 2s --fps 25 -o "$out\\frames.mp4" "$pic"
	check_video "$work/out/frames.mp4" 50
	check_no_leftovers "$work/out"

	step "a song video from an mp3, with ffmpeg.exe and ffprobe.exe beside stillcast.exe"
	app "$work/beside" ffmpeg.exe ffprobe.exe
	render "$work/beside" --audio "$(wpath "$work/in/song.mp3")" --fps 25 -o "$out\\song.mp4" "$pic"
	# The video lasts as long as the song: its frames are the song's
	# length (3 s and the mp3's padding) at 25 fps, rounded.
	local song audio
	song=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$work/in/song.mp3")
	check_video "$work/out/song.mp4" "$(awk -v d="$song" 'BEGIN { printf "%.0f", d * 25 }')"
	audio=$(ffprobe -v error -select_streams a:0 -show_entries stream=codec_name,duration -of csv=p=0 "$work/out/song.mp4")
	awk -v a="${audio#*,}" -v d="$song" 'BEGIN { exit !(a > d - 0.1 && a < d + 0.1) }' ||
		fail "song.mp4's audio is \"$audio\", want a stream as long as the song's $song s"
	echo "ok: song.mp4 carries the song: $audio"

	step "one video per song and the album with chapters (--each --album), into a folder"
	ffmpeg -v error -f lavfi -i sine=frequency=660:duration=2 -i "$work/in/picture.png" -map 0:a -map 1:v \
		-disposition:v attached_pic -c:a libmp3lame -id3v2_version 3 -metadata title=Second -metadata track=2 "$work/in/two.mp3"
	render "$work/beside" --each --album --fps 25 --audio "$(wpath "$work/in/song.mp3")" --audio "$(wpath "$work/in/two.mp3")" -o "$out\\each" "$pic"
	local one two
	one=$(decoded_frames "$work/in/song.mp3") two=$(decoded_frames "$work/in/two.mp3")
	check_video "$work/out/each/song.mp4" "$one"
	check_video "$work/out/each/02 - Second.mp4" "$two"
	check_video "$work/out/each/Album.mp4" "$(decoded_frames "$work/in/song.mp3" "$work/in/two.mp3")"
	[ "$(ffprobe -v error -show_chapters -of csv=p=0 "$work/out/each/Album.mp4" | wc -l)" = 2 ] ||
		fail "Album.mp4 does not have 2 chapters"
	[ -s "$work/out/each/Album.tracklist.txt" ] || fail "no Album.tracklist.txt"
	check_no_leftovers "$work/out/each"
	check_no_leftovers "$work/out"
}

finding() {
	step "ffmpeg.exe found on PATH (WINEPATH)"
	WINEPATH=$(wpath "$winff") render "$work/plain" --duration 1s -o "$out\\path.mp4" "$pic"
	check_video "$work/out/path.mp4" 25

	step "no ffmpeg anywhere: a clear message"
	if win "$work/plain/stillcast.exe" render --duration 1s -o "$out\\none.mp4" "$pic" >"$work/log" 2>&1; then
		fail "rendered without an ffmpeg"
	fi
	grep -q 'winget install ffmpeg' "$work/log" && grep -q 'beside stillcast.exe' "$work/log" ||
		fail "the message does not say how to get ffmpeg: $(cat "$work/log")"
	echo "ok: $(grep -m1 ffmpeg "$work/log")"

	step "a bad --ffmpeg is named as typed, with single backslashes"
	local bad='C:\no\such\ffmpeg.exe'
	win "$work/plain/stillcast.exe" render --ffmpeg "$bad" -o "$out\\bad.mp4" "$pic" >"$work/log" 2>&1 || true
	grep -qF "“$bad”" "$work/log" || fail "the error does not name $bad as typed: $(cat "$work/log")"
	echo "ok: $(grep -F -m1 "$bad" "$work/log")"
}

# failing_stream streams to a port where nothing listens, every frame
# through ffmpeg and the pipe: Stillcast itself connects (ffmpeg only
# encodes), fails, gives up after one retry and stops ffmpeg, whose end of
# the frame pipe then breaks (ERROR_NO_DATA). The user must see why the
# stream failed, never a pipe error, and never the key; no ffmpeg.exe may
# be left.
failing_ffmpeg() {
	step "a stream that cannot connect says why, not a pipe error"
	if win "$work/beside/stillcast.exe" live --no-fast-path --url rtmp://127.0.0.1:9/app --key secret-key \
		--retries 1 --duration 30s --progress plain "$pic" >"$work/log" 2>&1; then
		fail "the stream to a closed port succeeded"
	fi
	grep -q '^stillcast: .*cannot reach the server (connection refused)' "$work/log" ||
		fail "no reason for the failure: $(cat "$work/log")"
	! grep -qi 'pipe' "$work/log" || fail "a pipe error reached the user: $(cat "$work/log")"
	! grep -q 'secret-key' "$work/log" || fail "the key was printed: $(cat "$work/log")"
	echo "ok: $(grep '^stillcast:' "$work/log")"
	! ffmpeg_running || fail "ffmpeg.exe outlived the failed stream: $(ps -eo pid,stat,args | grep 'ffmpeg[.]exe')"
	check_no_leftovers "$work/out"
}

# stop_long_render DIR SIGNAL WAIT starts a day's render into DIR, sends
# SIGNAL to stillcast.exe once WAIT has returned, and sets $code to
# stillcast.exe's exit code.
stop_long_render() {
	mkdir -p "$1"
	win "$work/beside/stillcast.exe" render --duration 24h -o "$(wpath "$1")\\long.${4:-mp4}" "$pic" >"$work/log" 2>&1 &
	local pid=$!
	"$3" "$1"
	kill "-$2" "$(render_pid)"
	code=0
	wait "$pid" || code=$?
}

# cancelled_render interrupts a long render the way Ctrl-C does (Wine
# turns SIGINT into the console's Ctrl-C).
cancelled_render() {
	step "a cancelled render leaves nothing behind"
	stop_long_render "$work/cancel" INT wait_for_encoding
	[ "$code" -eq 130 ] || fail "the cancelled render exited $code, want 130: $(cat "$work/log")"
	[ ! -e "$work/cancel/long.mp4" ] || fail "a cancelled render left long.mp4"
	check_no_leftovers "$work/cancel"
	echo "ok: exit code $code: $(tail -n 1 "$work/log")"
}

# job_object kills stillcast.exe hard while ffmpeg.exe assembles the
# output from the encoded segment: ffmpeg reads files then, not the pipe,
# and without the Job Object it runs on (tried: it does). It must end
# within 2 s. A silent MP4 of one picture is written by Stillcast itself;
# an MKV is then copied into its container by ffmpeg.
job_object() {
	step "ffmpeg.exe ends when stillcast.exe is killed (Job Object)"
	stop_long_render "$work/killed" KILL wait_for_assembly mkv
	for _ in $(seq 1 20); do ffmpeg_running || break; sleep 0.1; done
	! ffmpeg_running || fail "ffmpeg.exe outlived stillcast.exe by 2 s: $(ps -eo pid,stat,args | grep 'ffmpeg[.]exe')"
	echo "ok: ffmpeg.exe ended with stillcast.exe"
	find "$work/killed" -name '*.part' -delete # a hard kill leaves it; that is the point
}

# window opens the app on a virtual screen and waits for its window.
window() {
	step "the window opens under Wine"
	exec 3>"$work/display"
	Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
	xvfb_pid=$!
	exec 3>&-
	for _ in $(seq 1 100); do [ -s "$work/display" ] && break; sleep 0.1; done
	export DISPLAY=":$(cat "$work/display")"
	# The checks before ran without a display. A wineserver still up from
	# them (it lingers a few seconds) keeps a desktop that has none, and
	# every window then fails ("Failed to create helper window").
	wineserver -k 2>/dev/null || true
	wineserver -w 2>/dev/null || true
	win "$work/beside/stillcast.exe" >"$work/window.log" 2>&1 &
	local found=
	for _ in $(seq 1 240); do
		if xwininfo -name Stillcast >/dev/null 2>&1; then found=1 && break; fi
		sleep 0.5
	done
	[ -n "$found" ] || fail "no window titled Stillcast within 2 minutes: $(cat "$work/window.log")"
	xwininfo -name Stillcast | grep -E 'Window id|Width|Height'
	if [ -n "${SCREENSHOT:-}" ]; then
		sleep 5
		import -display "$DISPLAY" -window root "$SCREENSHOT" && echo "screenshot: $SCREENSHOT"
	fi
	echo "ok: a window titled Stillcast appeared"
	wineserver -k
	kill "$xvfb_pid" && wait "$xvfb_pid" 2>/dev/null || true
	xvfb_pid=
}

main
