#!/usr/bin/env bash
# ErrorDeck's one entry point for a fresh Debian (bookworm) machine:
#   ./dev.sh run [app options]      install what is missing, build, open the app on its default database
#   ./dev.sh test                   install what is missing, build, run every test
#   ./dev.sh run-cli [cli options]  the command line alone: no Qt Widgets, Charts or Svg
#                                   packages, built with -DERRORDECK_WITH_UI=OFF in build-cli/
#   ./dev.sh test --cli             the same UI-less set-up, then the tests that need no UI
#   ./dev.sh test --sanitize        also the unit tests under ASan+UBSan (build-asan/, clang); on CI (CI=true) always
#   ./dev.sh packages [--cli|--sanitize]  print the Debian packages the other commands install
#   ./dev.sh bench-deps             install what the benchmarks alone use (lnav for bench/bench_import_vs_lnav.sh)
#   ./dev.sh fuzz [SECONDS]         build the libFuzzer harnesses (clang, build-fuzz/), run each for SECONDS (60)
# Extra arguments after `run` go to the app (e.g. --db FILE), after `run-cli` to errordeck-cli.
# ERRORDECK_WERROR=ON makes the warnings of errordeck_warnings errors (core, cli, keychain, ui, app).
set -euo pipefail
caller_dir="$PWD"   # the app and the CLI run from here, so relative paths in their arguments work
root="$(cd "$(dirname "$0")" && pwd)"
cd "$root"

# The Debian packages, by what needs them. Installed with --no-install-recommends,
# so a package the build or the tests use must be here or in the Depends of one
# of these (Recommends do not count): tests/check_packages.py (CTest
# check_packages) fails otherwise.
tool_packages=(cmake ninja-build g++ pkg-config git)
# core, cli, keychain and the tests of them.
cli_packages=(
  qt6-base-dev qt6-base-dev-tools
  libsqlite3-dev libspdlog-dev libcurl4-openssl-dev libgmime-3.0-dev libsimdjson-dev
  libzstd-dev libxxhash-dev zlib1g-dev qtkeychain-qt6-dev libxml2-dev
  libcpp-httplib-dev libbrotli-dev
  libpq-dev
)
# The desktop app (ui/): Qt6Charts needs Qt6OpenGL, which qt6-base-dev only recommends.
ui_packages=(qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev)
# What the tests run: Debian's python3 with Django and aiosmtpd (tests/integration/python,
# tests/support/smtp_server.py, bench/gen_reports.py), python3-cryptography (smtp_server.py
# makes the TLS test certificates: expired, wrong host), openssl (a test certificate),
# dovecot-imapd (tst_imap starts a real IMAP server, tests/support/ImapSupport.h),
# curl (tests/integration/python/test_reproduce.py runs the printed curl command),
# tzdata (the time zone tests, TZ=America/New_York),
# python3-sentry-sdk (tests/integration/sentry: a Django site reporting with Sentry's SDK),
# postgresql-15 (tst_pg_connection starts a real PostgreSQL server with its initdb and
# postgres, tests/support/PgSupport.h),
# nodejs and npm (tests/integration/node: @sentry/node from npm, installed by `npm ci`),
# gnome-keyring, dbus-daemon and dbus-bin (tests/support/with_secret_service.sh: a real
# Secret Service, gnome-keyring-daemon on a private bus of dbus-run-session, checked
# with dbus-send), libsecret-1-0 (qtkeychain loads it at run time to reach that service;
# without it qtkeychain tries KWallet only).
test_packages=(python3 python3-django python3-aiosmtpd python3-cryptography openssl dovecot-imapd curl tzdata
               python3-sentry-sdk nodejs npm postgresql-15 gnome-keyring libsecret-1-0 dbus-daemon dbus-bin)
# Screenshots under Xvfb (xvfb-run needs xauth), /usr/bin/time for bench/run_benchmarks.sh.
extra_packages=(xvfb xauth time)
# The sanitizer build of `./dev.sh test` (on CI always): clang and its ASan/UBSan
# runtimes, so that CI proves the code builds with clang as well as gcc.
sanitize_packages=(clang-14 libclang-rt-14-dev)
# For `./dev.sh fuzz` only (with the above): libFuzzer's clang, llvm-symbolizer for stacks.
fuzz_packages=(llvm-14 ccache)

# For the benchmarks only, never installed by run or test: lnav, which
# bench/bench_import_vs_lnav.sh races the import against; time for /usr/bin/time.
bench_packages=(lnav time)

cli_set() { printf '%s\n' "${tool_packages[@]}" "${cli_packages[@]}" "${test_packages[@]}"; }
full_set() { cli_set; printf '%s\n' "${ui_packages[@]}" "${extra_packages[@]}"; }

# The names installed packages provide: a Node.js build that bundles npm
# (Provides: npm, Conflicts: npm) stands for Debian's npm package.
provided_names() {
  dpkg-query -W -f='${Status}|${Provides}\n' 2>/dev/null | grep '^install ok installed|' | cut -d'|' -f2 |
    tr ',' '\n' | sed 's/(.*//; s/ //g' | grep -v '^$' || true
}

install_missing() { # PACKAGE...
  local missing=() provided
  provided="$(provided_names)"
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      grep -qxF "$p" <<<"$provided" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  # On CI's throwaway machine dpkg need not fsync every file it unpacks.
  local unsafe_io=()
  [ "${CI:-}" = "true" ] && unsafe_io=(-o Dpkg::Options::=--force-unsafe-io)
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${unsafe_io[@]}" "${missing[@]}"
}

build() { # BUILD_DIR [cmake options...] -- [targets...]   (opt_flags: -O2 unless set)
  local dir="$1"; shift
  local opt_flags="${opt_flags:--O2}"
  local options=() targets=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do options+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  targets=("$@")
  # Line tables only (-g1): stack traces and a debugger still show file:line,
  # and the build takes a quarter less time than with full debug info (-g).
  # A developer who wants locals in gdb configures a build of their own.
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON \
    "-DCMAKE_C_FLAGS_RELWITHDEBINFO=${opt_flags} -g1 -DNDEBUG" \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=${opt_flags} -g1 -DNDEBUG" \
    -DERRORDECK_WERROR="${ERRORDECK_WERROR:-OFF}" "${options[@]}" >/dev/null
  if [ ${#targets[@]} -gt 0 ]; then
    cmake --build "$dir" -j "$(nproc)" --target "${targets[@]}"
  else
    cmake --build "$dir" -j "$(nproc)"
  fi
}

# @sentry/node for tst_sentry_node, as its package-lock.json pins it: `npm ci`
# once, then again only when the lock changes (node_modules is not committed).
node_modules() {
  local dir="$root/tests/integration/node"
  if ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.errordeck-lock"; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$dir/node_modules/.errordeck-lock"
  fi
}

run_tests() { # BUILD_DIR [ctest options...]
  # Widget tests need no display; each test sets QT_QPA_PLATFORM=offscreen too.
  export QT_QPA_PLATFORM=offscreen
  local dir="$1"; shift
  ctest --test-dir "$dir" --output-on-failure -j 2 "$@"
}

# The unit tests (tests/unit, label "unit") under ASan+UBSan: core, cli and
# those tests only, without the UI, to keep CI's time down. Any finding fails
# the test (-fno-sanitize-recover, halt_on_error). Built with clang (build/ is
# gcc): CI so builds with both compilers, errordeck_warnings included.
sanitized_unit_tests() {
  # -O1, as ASan's documentation advises: findings stay exact, the build is faster.
  opt_flags=-O1 build build-asan -DERRORDECK_WITH_UI=OFF "-DERRORDECK_SANITIZE=address;undefined" \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -- errordeck-cli unit_tests
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    run_tests build-asan -L '^unit$' -LE '^postgresql$'
}

# Each phase's wall time, printed again at the end (CI shows only the tail of
# the output, and its budget is 20 minutes for all of them together).
phase_times=()
timed() { # NAME COMMAND...
  local name="$1" start=$SECONDS; shift
  "$@"
  phase_times+=("$(printf '%5d s  %s' $((SECONDS - start)) "$name")")
}
print_phase_times() { [ ${#phase_times[@]} -gt 0 ] && printf 'dev.sh phase: %s\n' "${phase_times[@]}"; return 0; }
trap print_phase_times EXIT

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  run)
    mapfile -t pkgs < <(full_set)
    install_missing "${pkgs[@]}"
    build build
    cd "$caller_dir"
    exec "$root/build/app/errordeck/errordeck" "$@"
    ;;
  run-cli)
    mapfile -t pkgs < <(cli_set)
    install_missing "${pkgs[@]}"
    build build-cli -DERRORDECK_WITH_UI=OFF -- errordeck-cli
    cd "$caller_dir"
    exec "$root/build-cli/app/errordeck-cli/errordeck-cli" "$@"
    ;;
  test)
    if [ "${1:-}" = "--cli" ]; then
      mapfile -t pkgs < <(cli_set)
      install_missing "${pkgs[@]}"
      build build-cli -DERRORDECK_WITH_UI=OFF
      node_modules
      run_tests build-cli
    else
      sanitize=0
      if [ "${1:-}" = "--sanitize" ] || [ "${CI:-}" = "true" ]; then sanitize=1; fi
      mapfile -t pkgs < <(full_set)
      [ "$sanitize" = 1 ] && pkgs+=("${sanitize_packages[@]}") # clang only where it builds
      timed "packages" install_missing "${pkgs[@]}"
      timed "build (gcc)" build build
      timed "npm ci" node_modules
      timed "tests" run_tests build
      if [ "$sanitize" = 1 ]; then
        timed "sanitizer build and unit tests (clang)" sanitized_unit_tests
      fi
    fi
    ;;
  packages)
    case "${1:-}" in
      --cli) cli_set ;;
      --sanitize) full_set; printf '%s\n' "${sanitize_packages[@]}" ;;
      *) full_set ;;
    esac
    ;;
  bench-deps)
    install_missing "${bench_packages[@]}"
    ;;
  fuzz)
    # tests/fuzz: replay the committed regression inputs through the sanitized
    # harnesses, then fuzz each harness in turn (one process: the machine may be
    # shared) on its seeds from tests/data. A crash input is copied to
    # tests/fuzz/regressions/<harness>/, where the normal build's CTest test
    # fuzz_regress_<harness> replays it too; exit status 1 if any harness crashed.
    seconds="${1:-60}"
    mapfile -t pkgs < <(cli_set)
    install_missing "${pkgs[@]}" "${sanitize_packages[@]}" "${fuzz_packages[@]}"
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
    echo "usage: ./dev.sh run [app options] | test [--cli|--sanitize] | run-cli [cli options] | packages [--cli] | bench-deps | fuzz [SECONDS]" >&2
    exit 2
    ;;
esac
