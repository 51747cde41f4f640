#!/bin/sh
# with_secret_service.sh PROGRAM [ARGS...]: runs PROGRAM with a real Secret
# Service of its own (Debian's gnome-keyring-daemon) on a private D-Bus session
# bus, so that qtkeychain (keychain/KeychainPasswords) stores and reads
# passwords through libsecret as on a desktop, never in the user's keyring.
#
# HOME and the XDG folders point into a new temporary folder, where
# gnome-keyring creates an unlocked "login" keyring (the default collection)
# on first use, encrypted with a random password of this run. PROGRAM finds
# that folder in ERRORDECK_TEST_SECRET_SERVICE (tests refuse to write to a
# keychain without it, and scan it). When PROGRAM ends, the daemon is stopped,
# the bus ends with dbus-run-session, and the folder is removed; PROGRAM's exit
# status is this script's. CTest runs the tests registered with
# `errordeck_test(NAME SECRET_SERVICE)` under it (tests/CMakeLists.txt).
set -u
if [ $# -eq 0 ]; then
  echo "usage: $0 PROGRAM [ARGS...]" >&2
  exit 2
fi
for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$0: $tool is missing: install what ./dev.sh packages lists (gnome-keyring, dbus-daemon, dbus-bin)" >&2
    exit 1
  fi
done

home="$(mktemp -d "${TMPDIR:-/tmp}/errordeck-keyring.XXXXXX")" || exit 1
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" \
  XDG_CACHE_HOME="$home/.cache" XDG_STATE_HOME="$home/.local/state" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$home" "$XDG_RUNTIME_DIR"
export ERRORDECK_TEST_SECRET_SERVICE="$home"
# qtkeychain picks its backend by desktop: with none named it uses libsecret.
unset XDG_CURRENT_DESKTOP DESKTOP_SESSION KDE_FULL_SESSION KDE_SESSION_VERSION GNOME_DESKTOP_SESSION_ID \
  GNOME_KEYRING_CONTROL DBUS_SESSION_BUS_ADDRESS

# The unlock password of this run's keyring (not a password under test).
unlock="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"

# Inside the private bus: the daemon with its login keyring unlocked, the check
# that org.freedesktop.secrets answers, PROGRAM, then the daemon stopped.
dbus-run-session -- sh -c '
  unlock="$1"; shift
  log="$HOME/gnome-keyring.log"
  printf "%s" "$unlock" | gnome-keyring-daemon --unlock --components=secrets >>"$log" 2>&1 &&
    gnome-keyring-daemon --start --components=secrets >>"$log" 2>&1
  pid="$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus \
           org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>>"$log" |
         awk "{print \$2}")"
  if [ -z "$pid" ]; then
    echo "with_secret_service.sh: gnome-keyring-daemon did not take org.freedesktop.secrets on the test bus:" >&2
    cat "$log" >&2
    exit 1
  fi
  "$@"
  rc=$?
  kill "$pid" 2>/dev/null
  exit $rc
' sh "$unlock" "$@"
