#!/bin/sh
# Installs (as root) or names (otherwise) the Debian/Ubuntu packages the app needs:
# python3-venv for the virtual environment, the libraries Qt's xcb platform loads,
# fonts that shape every seed script (Bengali included), Xvfb for screenshots, and binutils
# (objdump, objcopy, strip), which PyInstaller needs to build the executable on Linux.
set -eu
[ "$(uname -s)" = "Linux" ] || exit 0
command -v dpkg-query >/dev/null 2>&1 || { echo "sysdeps: not a Debian/Ubuntu system; install Qt 6's xcb libraries and Noto fonts yourself." >&2; exit 0; }

PKGS="python3-venv libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3
libxkbcommon0 libxkbcommon-x11-0 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
libxcb-image0 libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xfixes0 libxcb-xinerama0
libxcb-xkb1 libxcb-sync1 libxcb-shm0 libxrender1 libx11-xcb1 fonts-noto-core xvfb xauth binutils"

missing=""
for p in $PKGS; do
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
  case "$status" in ii*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = "0" ]; then
  echo "sysdeps: installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
else
  echo "sysdeps: these system packages are missing:$missing" >&2
  echo "Install them, then run make again:" >&2
  echo "  sudo apt-get install -y$missing" >&2
  exit 1
fi
