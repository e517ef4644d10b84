#!/usr/bin/env bash
# Set up everything the project needs on a Debian machine: system packages,
# a virtual environment in .venv, and the package itself (editable).
# Usage: scripts/setup.sh [extra]
#   extra "test":  the test tools, and PulseAudio for the live-input tests
#   extra "bench": the benchmark tools (aubio, librosa, mir_eval) and fluidsynth
set -euo pipefail
cd "$(dirname "$0")/.."

EXTRA="${1:-}"
SYSTEM_PACKAGES=(
    # headless OpenGL (Mesa llvmpipe through EGL); a GPU machine uses its own driver
    libegl1 libgl1 libegl-mesa0 libgl1-mesa-dri libglx-mesa0
    # live audio input (PortAudio) for sounddevice
    libportaudio2
)

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "setup: need root (or sudo) to install: ${*: -1}" >&2; return 1; fi
}

missing_packages() {
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
    done
}

install_system_packages() {
    command -v apt-get >/dev/null || { echo "setup: no apt-get; install the equivalents of: $*" >&2; return 0; }
    local missing
    missing=$(missing_packages "$@")
    [ -z "$missing" ] && return 0
    echo "setup: installing system packages: $missing" >&2
    as_root apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

make_venv() {
    local python="${PYTHON:-python3}"
    [ -x .venv/bin/python ] && return 0
    if ! "$python" -m venv .venv 2>/dev/null; then
        rm -rf .venv
        install_system_packages python3-venv
        "$python" -m venv .venv
    fi
}

case "$EXTRA" in
    test) SYSTEM_PACKAGES+=(pulseaudio pulseaudio-utils xvfb libxcursor1 libxi6 libxinerama1 libxrandr2) ;;
    bench) SYSTEM_PACKAGES+=(pulseaudio pulseaudio-utils fluidsynth timgm6mb-soundfont) ;;
esac
install_system_packages "${SYSTEM_PACKAGES[@]}"
make_venv
STAMP=".venv/.installed-${EXTRA:-base}"
if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    if [ -n "$EXTRA" ]; then .venv/bin/python -m pip install -q -e ".[$EXTRA]"; else .venv/bin/python -m pip install -q -e .; fi
    touch "$STAMP"
fi
