#!/usr/bin/env bash
# ErrorDeck's one entry point for a fresh Debian machine:
#   ./dev.sh run    install what is missing, build, open the app on its default database
#   ./dev.sh test   install what is missing, build, run every test
#   ./dev.sh fuzz [SECONDS]  build the libFuzzer harnesses (clang, build-fuzz/), run each for SECONDS (60)
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

# For `./dev.sh fuzz` only: clang with libFuzzer and the sanitizer runtimes, llvm-symbolizer for stacks.
fuzz_packages=(clang-14 libclang-rt-14-dev llvm-14 ccache)

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
  fuzz)
    # tests/fuzz: replay the committed regression inputs through the sanitized
    # harnesses, then fuzz each harness in turn (one process: the machine may be
    # shared) on its seeds from tests/data. A crash input is copied to
    # tests/fuzz/regressions/<harness>/, where the normal build's CTest test
    # fuzz_regress_<harness> replays it too; exit status 1 if any harness crashed.
    seconds="${2:-60}"
    install_missing
    packages=("${fuzz_packages[@]}")
    install_missing
    cmake --preset fuzz >/dev/null
    cmake --build --preset fuzz -j "$(nproc)"
    failed=()
    ctest --preset fuzz || failed+=("(a committed regression input)")
    for bin in build-fuzz/tests/fuzz/fuzz_*; do
      h="${bin##*/fuzz_}"
      [ -x "$bin" ] && [ -d "tests/fuzz/regressions/$h" ] || continue
      corpus="build-fuzz/tests/fuzz/corpus/$h" artifacts="build-fuzz/tests/fuzz/artifacts/$h"
      rm -rf "$artifacts" && mkdir -p "$corpus" "$artifacts" # only this run's crash inputs are copied
      dict=(); [ -f "tests/fuzz/$h.dict" ] && dict=(-dict="tests/fuzz/$h.dict")
      echo "== fuzz_$h for ${seconds}s"
      if ! "$bin" "${dict[@]}" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=4096 -print_final_stats=1 \
             -artifact_prefix="$artifacts/" "$corpus" "build-fuzz/tests/fuzz/seeds/$h" "tests/fuzz/regressions/$h"; then
        failed+=("$h")
        for f in "$artifacts"/*; do
          [ -f "$f" ] && cp -v "$f" "tests/fuzz/regressions/$h/"
        done
      fi
    done
    if [ ${#failed[@]} -gt 0 ]; then
      echo "fuzz: crashes in ${failed[*]}; the inputs are in tests/fuzz/regressions/" >&2
      exit 1
    fi
    ;;
  *)
    echo "usage: ./dev.sh run [app options] | ./dev.sh test | ./dev.sh fuzz [SECONDS]" >&2
    exit 2
    ;;
esac
