#!/bin/sh
# deb-depends.sh BINARY prints the Depends: line's packages for BINARY:
# ffmpeg, which it runs, and the packages that hold the shared libraries
# it links (GL, X11, GTK, glibc) or that GLFW opens while it starts (the
# X extensions), as this machine names them, so the line is right on the
# Debian or Ubuntu release that builds it.
set -eu
bin=$1
pkgs="ffmpeg"
# GLFW's X11 code dlopens these; readelf cannot see them.
glfw="libX11-xcb.so.1 libXcursor.so.1 libXi.so.6 libXinerama.so.1 libXrandr.so.2 libXrender.so.1 libXxf86vm.so.1"
for so in $(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p') $glfw; do
	pkg=$(dpkg -S "*/$so" 2>/dev/null | cut -d: -f1 | sort -u | head -n 1)
	if [ -z "$pkg" ]; then
		echo "deb-depends: no package holds $so, which $bin needs" >&2
		exit 1
	fi
	pkgs="$pkgs $pkg"
done
echo $pkgs | tr ' ' '\n' | sort -u | paste -sd, - | sed 's/,/, /g'
