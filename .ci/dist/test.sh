#!/usr/bin/env bash
# .ci/dist/test.sh VERSION DEB_ARCH checks the packages `make dist` built
# in dist/ as a user meets them: it installs the .deb (dpkg -i, as root or
# with sudo), renders with /usr/bin/stillcast, validates the launcher,
# purges the package again; it checks what the tarballs and the zip hold,
# that their binaries are static and for the right machine, and runs the
# linux-amd64 one. It leaves nothing behind.
set -euo pipefail
export LC_ALL=C
version=$1 arch=$2
sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
work=$(mktemp -d)
installed=""
cleanup() {
	[ -z "$installed" ] || $sudo dpkg -P stillcast >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "test-dist: $*" >&2; exit 1; }

# render BIN: a 2 s video of a small image, checked with ffprobe.
render() {
	local out="$work/out-$RANDOM.mp4"
	"$1" render "$work/in.png" -o "$out" --duration 2s --preset ultrafast --progress json >/dev/null
	local got
	got=$(ffprobe -v error -select_streams v:0 -show_entries stream=codec_name,width,height:format=duration -of csv=p=0 "$out" | paste -sd, -)
	case $got in
	h264,320,240,2.0*|h264,320,240,1.9*) echo "  $1 rendered: $got" ;;
	*) fail "$1 rendered $out as '$got', want h264 320x240 of 2 s" ;;
	esac
}
ffmpeg -v error -f lavfi -i "testsrc=size=320x240" -frames:v 1 "$work/in.png"

echo "The .deb"
deb=dist/stillcast_${version}_${arch}.deb
[ -f "$deb" ] || fail "no $deb"
dpkg-query -W -f='${Status}' stillcast 2>/dev/null | grep -q 'ok installed' &&
	fail "stillcast is installed already; this test would remove it"
dpkg-deb -f "$deb" Depends | grep -qw ffmpeg || fail "$deb does not depend on ffmpeg"
installed=1
if ! $sudo dpkg -i "$deb" >/dev/null; then
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -f -y -qq >/dev/null
fi
dpkg-query -W -f='${Status}' stillcast | grep -q 'ok installed' || fail "dpkg -i left stillcast not installed"
[ "$(/usr/bin/stillcast version)" = "stillcast $version" ] || fail "/usr/bin/stillcast version: $(/usr/bin/stillcast version)"
render /usr/bin/stillcast
desktop=/usr/share/applications/io.github.stillcast.desktop
desktop-file-validate "$desktop" || fail "$desktop is not valid"
want=$(sed -n 's/^MimeTypes *= *"\(.*\)"$/\1/p' FyneApp.toml)
grep -qxF "MimeType=$want" "$desktop" || fail "$desktop's MimeType differs from FyneApp.toml's CanOpen"
icon=/usr/share/icons/hicolor/512x512/apps/io.github.stillcast.png
file "$icon" | grep -q 'PNG image data, 512 x 512' || fail "no 512×512 icon at $icon"
files=$(dpkg -L stillcast)
$sudo dpkg -P stillcast >/dev/null
installed=""
dpkg-query -W -f='${Status}' stillcast 2>/dev/null | grep -q 'ok installed' && fail "dpkg -P left stillcast installed"
for f in /usr/bin/stillcast "$desktop" "$icon"; do
	[ ! -e "$f" ] || fail "$f is left after dpkg -P"
done
echo "  installed, rendered, validated and purged ($(echo "$files" | wc -l) paths)"

echo "The headless tarballs"
for t in linux-amd64:x86-64 linux-arm64:"ARM aarch64" darwin-arm64:arm64 darwin-amd64:x86_64; do
	target=${t%%:*} machine=${t#*:} name=stillcast-$version-$target
	tgz=dist/$name.tar.gz
	[ -f "$tgz" ] || fail "no $tgz"
	want="$name/ $name/README.txt $name/stillcast"
	case $target in linux-*) want="$want $name/stillcast-live.env $name/stillcast-live.service" ;; esac
	got=$(tar tzf "$tgz" | sort | paste -sd' ' -)
	[ "$got" = "$want" ] || fail "$tgz holds '$got', want '$want'"
	tar xzf "$tgz" -C "$work"
	desc=$(file -b "$work/$name/stillcast")
	case $target in
	linux-*) [[ $desc == ELF\ 64-bit*"$machine"*statically\ linked* ]] || fail "$tgz: stillcast is $desc" ;;
	darwin-*) [[ $desc == Mach-O\ 64-bit*"$machine"* ]] || fail "$tgz: stillcast is $desc" ;;
	esac
	grep -q "Stillcast $version, headless build" "$work/$name/README.txt" || fail "$tgz: README.txt has no version"
	echo "  $tgz: $desc"
done
dir=$work/stillcast-$version-linux-amd64
[ "$(stat -c %a "$dir/stillcast-live.env")" = 600 ] || fail "stillcast-live.env is not mode 0600"
"$dir/stillcast" >/dev/null 2>"$work/nowindow" && fail "the headless stillcast opened a window?"
grep -q "this build has no window" "$work/nowindow" || fail "the headless stillcast without arguments: $(cat "$work/nowindow")"
render "$dir/stillcast"
# The unit as installed, with the paths of this test: systemd-analyze
# checks its options and that the program exists.
mkdir "$work/unit"
sed -e "s|/usr/local/bin/stillcast|$dir/stillcast|" -e "s|/etc/stillcast/live.env|$dir/stillcast-live.env|" \
	"$dir/stillcast-live.service" >"$work/unit/stillcast-live.service"
systemd-analyze verify "$work/unit/stillcast-live.service" || fail "systemd-analyze verify found problems in stillcast-live.service"
echo "  the unit verifies; its key comes from EnvironmentFile: $(grep -c '^EnvironmentFile=' "$work/unit/stillcast-live.service") line"
grep -q -- '--key' "$dir/stillcast-live.service" && fail "the unit puts a key on the command line"

echo "The Windows zip"
name=stillcast-$version-windows-amd64
zip=dist/$name.zip
[ -f "$zip" ] || fail "no $zip"
got=$(unzip -Z1 "$zip" | sort | paste -sd' ' -)
[ "$got" = "$name/ $name/READ-ME-FIRST.txt $name/stillcast.exe" ] || fail "$zip holds '$got'"
unzip -q "$zip" -d "$work"
desc=$(file -b "$work/$name/stillcast.exe")
[[ $desc == PE32+\ executable*GUI*x86-64* ]] || fail "$zip: stillcast.exe is $desc"
x86_64-w64-mingw32-objdump -h "$work/$name/stillcast.exe" | grep -q '\.rsrc' || fail "stillcast.exe has no resources (icon, version)"
grep -q "winget install ffmpeg" "$work/$name/READ-ME-FIRST.txt" || fail "READ-ME-FIRST.txt does not say how to get ffmpeg"
echo "  $zip: $desc, with its icon and version resources"
echo "test-dist: all packages check out"
