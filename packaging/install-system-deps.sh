#!/usr/bin/env bash
# Installs the Debian packages IRIS's tests and 3D view need, when any is missing.
# open3d needs libusb; Qt's xcb plugin, Xvfb and Mesa serve the OpenGL tests.
set -euo pipefail

packages=(
  libusb-1.0-0 xvfb xauth libgl1 libegl1 libgl1-mesa-dri libglx-mesa0
  libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
  libxcb-shape0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-randr0
  libxcb-xfixes0 libdbus-1-3 libfontconfig1
)

command -v dpkg-query >/dev/null || { echo "system deps: not a Debian system; install the equivalents of: ${packages[*]}"; exit 0; }

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "system deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
elif command -v sudo >/dev/null; then
  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "system deps: missing ${missing[*]} and no root; install them and rerun" >&2
  exit 1
fi
