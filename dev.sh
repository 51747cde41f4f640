#!/usr/bin/env bash
# ErrorDeck's one entry point for a fresh Debian machine:
#   ./dev.sh run    install what is missing, build, open the app on its default database
#   ./dev.sh test   install what is missing, build, run every test
# Extra arguments after `run` go to the app (e.g. --db FILE).
set -euo pipefail
cd "$(dirname "$0")"

packages=(
  cmake ninja-build g++ pkg-config git
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-svg-dev qt6-l10n-tools libgl-dev libqt6opengl6-dev
  libsqlite3-dev libspdlog-dev libcurl4-openssl-dev libgmime-3.0-dev libsimdjson-dev
  libzstd-dev libxxhash-dev zlib1g-dev qtkeychain-qt6-dev
  python3 python3-django python3-aiosmtpd openssl
  xvfb xauth
)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON >/dev/null
  cmake --build build -j "$(nproc)"
}

cmd="${1:-}"
case "$cmd" in
  run)
    shift
    install_missing
    build
    exec build/app/errordeck/errordeck "$@"
    ;;
  test)
    install_missing
    build
    # Widget tests need no display; each test sets QT_QPA_PLATFORM=offscreen too.
    export QT_QPA_PLATFORM=offscreen
    ctest --test-dir build --output-on-failure -j 2
    ;;
  *)
    echo "usage: ./dev.sh run [app options] | ./dev.sh test" >&2
    exit 2
    ;;
esac
