#!/usr/bin/env bash
# Roll-call votes benchmark: normwatch against DuckDB and pandas on the same workloads,
# plus `gzip -dc` on the same inputs as a floor. Not part of the test suite.
#
#   W1  import the three Voeten files (unvotes 0.3.0) into the tool's own store
#   W2  the ICT-security series' roll calls with totals and No voters
#   W3  the all-pairs agreement matrix for sessions 60-74, written as CSV a,b,agreement,n
#
# Each workload runs as a fresh process (as a user would run it), ROUNDS times (default 5);
# the report gives medians, ratios, and whether the tools' outputs agree.
# DuckDB and pandas are installed from PyPI into a throwaway virtualenv under /tmp.
#
# With DATABASE=postgres://user:password@host/db (a database the user may create schemas
# in), normwatch also runs the same workloads on PostgreSQL, each round in a fresh schema
# (tool `normwatch-pg`; needs `psql`), reported beside SQLite with its ratios.
#
# Usage: bench/votes.sh            (ROUNDS=5, NORMWATCH_SHARED_DATA=../shared/data)
#        DATABASE=postgres://… bench/votes.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${NORMWATCH_SHARED_DATA:-$ROOT/../shared/data}
ROUNDS=${ROUNDS:-5}
VENV=${BENCH_VENV:-/tmp/normwatch-bench-venv}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
NW=$TARGET/release/normwatch
VOETEN=$DATA/unvotes-voeten
FILES=("$VOETEN/un_roll_calls.csv.gz" "$VOETEN/un_votes.csv.gz" "$VOETEN/un_roll_call_issues.csv.gz")

for f in "${FILES[@]}"; do
  [ -f "$f" ] || { echo "missing $f: set NORMWATCH_SHARED_DATA to the shared data folder" >&2; exit 1; }
done

echo "building normwatch (release)…" >&2
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" --bin normwatch

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import duckdb, pandas' 2>/dev/null; then
  echo "installing duckdb and pandas into $VENV…" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check duckdb pandas
fi
PY=$VENV/bin/python
PEERS=$ROOT/bench/votes_peers.py
"$PY" -c 'import duckdb, pandas, numpy, sys; print(f"python {sys.version.split()[0]}, duckdb {duckdb.__version__}, pandas {pandas.__version__}, numpy {numpy.__version__}")' >&2
echo "$("$NW" --version), $(gzip --version | head -1), $(nproc) cores" >&2

WORK=$(mktemp -d /tmp/normwatch-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
TIMINGS=$WORK/timings.tsv

# The series' documents, from the knowledge base, for the peers' W2.
"$NW" --db "$WORK/kb.sqlite" init > /dev/null
"$NW" --db "$WORK/kb.sqlite" series show ga-first-ict-security --json > "$WORK/series.json"

now() { date +%s%N; }

# timed TOOL WORKLOAD ROUND COMMAND… : runs the command, appends its wall time.
timed() {
  local tool=$1 workload=$2 round=$3
  shift 3
  local start end
  start=$(now)
  "$@"
  end=$(now)
  printf '%s\t%s\t%s\t%s\n' "$tool" "$workload" "$round" "$(awk -v ns=$((end - start)) 'BEGIN { printf "%.4f", ns / 1e9 }')" >> "$TIMINGS"
}

# Warm the page cache and the binaries once, untimed.
gzip -dc "${FILES[@]}" > /dev/null
"$PY" -c 'import duckdb, pandas' >/dev/null

for round in $(seq 1 "$ROUNDS"); do
  echo "round $round/$ROUNDS" >&2
  timed gzip gunzip "$round" sh -c 'gzip -dc "$@" > /dev/null' sh "${FILES[@]}"

  # normwatch: a fresh database holding the knowledge base (loaded untimed, as the peers
  # get the series' symbols for free), then the three workloads.
  db=$WORK/normwatch-$round.sqlite
  "$NW" --db "$db" init > /dev/null
  timed normwatch w1 "$round" sh -c '"$0" --db "$1" import votes "$2" > /dev/null' "$NW" "$db" "$VOETEN"
  timed normwatch w2 "$round" sh -c '"$0" --db "$1" votes cyber --json > "$2"' "$NW" "$db" "$WORK/normwatch-w2.json"
  timed normwatch w3 "$round" sh -c '"$0" --db "$1" votes agreement --from-session 60 --to-session 74 --csv > "$2"' "$NW" "$db" "$WORK/normwatch-w3.csv"

  duck=$WORK/duckdb-$round.duckdb
  timed duckdb w1 "$round" "$PY" "$PEERS" duckdb w1 "$DATA" "$ROOT/kb/states.csv" "$duck"
  timed duckdb w2 "$round" "$PY" "$PEERS" duckdb w2 "$duck" "$WORK/series.json" "$WORK/duckdb-w2.json"
  timed duckdb w3 "$round" "$PY" "$PEERS" duckdb w3 "$duck" "$WORK/duckdb-w3.csv"

  store=$WORK/pandas-$round.pkl
  timed pandas w1 "$round" "$PY" "$PEERS" pandas w1 "$DATA" "$ROOT/kb/states.csv" "$store"
  timed pandas w2 "$round" "$PY" "$PEERS" pandas w2 "$store" "$WORK/series.json" "$WORK/pandas-w2.json"
  timed pandas w3 "$round" "$PY" "$PEERS" pandas w3 "$store" "$WORK/pandas-w3.csv"

  rm -f "$db" "$db-wal" "$db-shm" "$duck" "$store"

  if [ -n "${DATABASE:-}" ]; then
    schema="nw_bench_$$_$round"
    psql -q "$DATABASE" -c "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema"
    sep='?'; case "$DATABASE" in *\?*) sep='&' ;; esac
    pg="$DATABASE${sep}options[search_path]=$schema"
    "$NW" --database "$pg" init > /dev/null
    timed normwatch-pg w1 "$round" sh -c '"$0" --database "$1" import votes "$2" > /dev/null' "$NW" "$pg" "$VOETEN"
    timed normwatch-pg w2 "$round" sh -c '"$0" --database "$1" votes cyber --json > "$2"' "$NW" "$pg" "$WORK/normwatch-pg-w2.json"
    timed normwatch-pg w3 "$round" sh -c '"$0" --database "$1" votes agreement --from-session 60 --to-session 74 --csv > "$2"' "$NW" "$pg" "$WORK/normwatch-pg-w3.csv"
    psql -q "$DATABASE" -c "DROP SCHEMA $schema CASCADE"
  fi
done

"$PY" "$PEERS" report "$TIMINGS" "$WORK"
