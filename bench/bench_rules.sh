#!/usr/bin/env bash
# Rules on stored reports (issue 14): `errordeck-cli rules preview` (the count
# the app's Add rule dialog shows while editing) and `rules apply` (what
# saving rules in Settings runs in the background) on 200,000 reports:
#   bench/bench_rules.sh [BUILD_DIR] [--reports N] [--db DB.sqlite3]
# The database comes from bench/build_bench_db.sh (through the real importer,
# cached), or --db; each run works on a copy. Timed, one after the other:
#  1. preview of a hide rule not yet added (nothing written);
#  2. apply after adding it (hide rules and 404 rules decide hidden_by again);
#  3. apply after adding a scrubbing pattern (every report scrubbed again,
#     unused parts deleted, full-text index merged, WAL truncated).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
build="$root/build"
reports=200000
db=
while [ $# -gt 0 ]; do
  case "$1" in
    --reports) reports="$2"; shift 2 ;;
    --db) db="$2"; shift 2 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) build="$1"; shift ;;
  esac
done
cli="$build/app/errordeck-cli/errordeck-cli"
[ -x "$cli" ] || { echo "build first: $cli is missing" >&2; exit 1; }
[ -n "$db" ] || db=$("$here/build_bench_db.sh" "$build" --reports "$reports" | tail -1)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$db" "$work/deck.sqlite3"
deck="$work/deck.sqlite3"

timed() { # LABEL CMD... : prints "LABEL: wall s, CPU s (user+sys), peak RSS" and the command's first line
  local label="$1"
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >"$work/out.txt"
  read -r wall user sys rss <"$work/time.txt"
  /usr/bin/python3 -c "import sys; w,u,s,r=map(float,sys.argv[2:6]); print(f'{sys.argv[1]}: {w:.1f} s wall, {u+s:.1f} s CPU, {r/1024:.0f} MB peak RSS  ({sys.argv[6]})')" \
    "$label" "$wall" "$user" "$sys" "$rss" "$(head -1 "$work/out.txt")"
}

n=$(/usr/bin/python3 -c "import sqlite3,sys;print(sqlite3.connect(sys.argv[1]).execute('SELECT count(*) FROM reports').fetchone()[0])" "$deck")
echo "== rules on $n stored reports ($(du -h "$deck" | cut -f1))"
timed "preview of a new hide rule" \
  "$cli" rules preview --db "$deck" payments --hide --logger shop.payments
"$cli" rules add --db "$deck" payments --hide --logger shop.payments >/dev/null
timed "apply (hide rules, 404 rules)" "$cli" rules apply --db "$deck"
timed "apply again (nothing changes)" "$cli" rules apply --db "$deck"
# The pattern is written so that the setting itself does not hold the value.
"$cli" config set --db "$deck" ERRORDECK_SENSITIVE_VALUES '["division b[y] zero"]' >/dev/null
timed "apply with a new scrubbing pattern (re-scrub)" "$cli" rules apply --db "$deck"
