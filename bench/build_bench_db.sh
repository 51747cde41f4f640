#!/usr/bin/env bash
# The large benchmark database, built through the real importer (issue 13):
#   bench/build_bench_db.sh [BUILD_DIR] [--reports N] [--seed S] [--growth] [--any-build]
# Generates the reports in chunks of at most 200,000 with bench/gen_reports.py
# (one set of failures for all chunks, each chunk the next stretch of time),
# imports each with `errordeck-cli import` (the full-text index is the real one),
# deletes the chunk file so the disk holds one chunk at a time, and prints the
# import rate of every chunk. Copies at 250,000 and 500,000 reports are kept
# beside the full one, for the growth figures of docs/benchmarks.md.
#
# Cached under ${XDG_CACHE_HOME:-~/.cache}/errordeck-bench/, keyed by the seed,
# the schema version and a hash of the errordeck-cli binary (the importer is
# linked into it): a new build or schema makes a new database, an old one is
# reused. The last line printed is the path of the N-report database.
# --any-build: reuse a database of the same seed and schema that another build
# of errordeck-cli made (the newest), rather than import again: for measuring
# queries while the importer is unchanged but other code is not.
#
# --growth: flat growth, measured side by side: 200,000 new reports imported
# into an empty database and into a copy of the N-report one (target: >= 80%).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
build="$root/build"
reports=1000000
seed=1
growth=0
any_build=0
while [ $# -gt 0 ]; do
  case "$1" in
    --reports) reports="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --growth) growth=1; shift ;;
    --any-build) any_build=1; shift ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) build="$1"; shift ;;
  esac
done
py=/usr/bin/python3
cli="$build/app/errordeck-cli/errordeck-cli"
[ -x "$cli" ] || { echo "build first: $cli is missing" >&2; exit 1; }
templates="$root/tests/data/corpus/records.jsonl"
chunk=200000
per_day=$((chunk / 30)) # a chunk of 200,000 covers 30 days
stops="250000 500000 1000000"

# The schema version: what a fresh database made by this build says.
probe="$(mktemp -d)"
trap 'rm -rf "$probe"' EXIT
"$cli" --db "$probe/p.sqlite3" stats >/dev/null 2>&1 || true
schema=$($py -c "import sqlite3,sys;print(sqlite3.connect(sys.argv[1]).execute('PRAGMA user_version').fetchone()[0])" "$probe/p.sqlite3")
binhash=$(sha256sum "$cli" | cut -c1-12)
base="${XDG_CACHE_HOME:-$HOME/.cache}/errordeck-bench"
cache="$base/seed$seed-schema$schema-cli$binhash"
if [ "$any_build" = 1 ] && [ ! -f "$cache/reports-$reports.sqlite3" ]; then
  other=$(ls -t "$base"/seed"$seed"-schema"$schema"-cli*/reports-"$reports".sqlite3 2>/dev/null | head -n 1 || true)
  if [ -n "$other" ]; then
    cache=$(dirname "$other")
    echo "--any-build: the database of another build, $cache" >&2
  fi
fi
mkdir -p "$cache"
final="$cache/reports-$reports.sqlite3"

import_chunk() { # DB FILE -> prints "stored seconds"
  local db="$1" file="$2" s e
  s=$(date +%s.%N)
  "$cli" import --quiet --json --db "$db" "$file" >"$probe/summary.json"
  e=$(date +%s.%N)
  $py -c "import json,sys;print(json.load(open(sys.argv[1]))['stored'], float(sys.argv[3])-float(sys.argv[2]))" \
    "$probe/summary.json" "$s" "$e"
}

if [ -f "$final" ]; then
  echo "reusing $final" >&2
  [ -f "$cache/rates.txt" ] && sed 's/^/  (when built) /' "$cache/rates.txt" >&2
else
  echo "building $final through errordeck-cli import (chunks of <= $chunk)" >&2
  building="$cache/building.sqlite3"
  rm -f "$building" "$building"-* "$cache/rates.txt"
  # Chunk ends: every 200,000, and at each stop.
  ends=()
  have=0
  while [ "$have" -lt "$reports" ]; do
    next=$((have + chunk))
    for s in $stops "$reports"; do
      if [ "$s" -gt "$have" ] && [ "$s" -lt "$next" ]; then next=$s; fi
    done
    [ "$next" -gt "$reports" ] && next=$reports
    ends+=("$next")
    have=$next
  done
  generate() { # I FROM TO: chunk I, reports FROM..TO, into $probe/chunk-I.jsonl
    $py "$here/gen_reports.py" "$templates" $(($3 - $2)) "$probe/chunk-$1.jsonl" --seed $((seed * 1000 + $1)) \
      --issue-seed "$seed" --days "$($py -c "print(($3 - $2) / $per_day)")" --start-day "$($py -c "print($2 / $per_day)")"
  }
  # The next chunk is generated while this one is imported (the generator is
  # slower than the importer): the rates printed here share the machine with it;
  # --growth measures the import alone.
  generate 0 0 "${ends[0]}" &
  gen=$!
  have=0
  for i in "${!ends[@]}"; do
    wait "$gen"
    next=${ends[$i]}
    if [ $((i + 1)) -lt "${#ends[@]}" ]; then
      generate $((i + 1)) "$next" "${ends[$((i + 1))]}" &
      gen=$!
    fi
    read -r stored secs < <(import_chunk "$building" "$probe/chunk-$i.jsonl")
    rm -f "$probe/chunk-$i.jsonl"
    line=$($py -c "print(f'chunk {$i}: {$stored} reports into {$have} in {$secs:.1f} s = {$stored/$secs:.0f} reports/s')")
    echo "$line" | tee -a "$cache/rates.txt" >&2
    have=$next
    for s in $stops; do
      if [ "$s" = "$have" ] && [ "$s" != "$reports" ]; then cp "$building" "$cache/reports-$s.sqlite3"; fi
    done
  done
  mv "$building" "$final"
  echo "database: $(du -h "$final" | cut -f1)" >&2
fi

if [ "$growth" = 1 ]; then
  # The same 200,000 new reports (a later stretch of time) into an empty database
  # and into a copy of the full one, one after the other.
  file="$probe/growth.jsonl"
  $py "$here/gen_reports.py" "$templates" "$chunk" "$file" --seed $((seed * 1000 + 999)) --issue-seed "$seed" \
    --days 30 --start-day "$($py -c "print($reports / $per_day)")"
  cp "$final" "$probe/full.sqlite3"
  read -r s0 t0 < <(import_chunk "$probe/empty.sqlite3" "$file")
  read -r s1 t1 < <(import_chunk "$probe/full.sqlite3" "$file")
  rm -f "$file" "$probe"/*.sqlite3*
  $py -c "
r0, r1 = $s0 / $t0, $s1 / $t1
print(f'flat growth: 200,000 into empty {r0:.0f} reports/s, into $reports {r1:.0f} reports/s = {100*r1/r0:.0f}%  target >= 80%')" >&2
fi
echo "$final"
