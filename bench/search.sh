#!/usr/bin/env bash
# Search benchmark (issue 10): a release build of `normwatch serve` on a fresh database with
# the built-in knowledge base, and `/api/search` loaded with wrk (2 threads, 32 connections)
# where every request is a different address, so that none is answered from the kept
# answers of the revision: each one runs the query on the tantivy index. Reports, in one
# run, requests/s and p50/p99 latency for a word, a phrase and a prefix with a year filter,
# beside /healthz and a repeated (kept) search as the floors; and the time of
# `normwatch admin reindex` (reading the database and rewriting the index), median of 5.
# Not part of the test suite; nothing here asserts.
#
# Latency goals hold for requests that do not queue: CONNECTIONS=2 (one per core) measures
# them; the default 32 connections measure throughput (latency is then mostly queueing).
#
# Usage: bench/search.sh          (DURATION=10s; CONNECTIONS=2; DATABASE=postgres://… for PostgreSQL)
# Needs: wrk (Debian package `wrk`) and curl.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-18081}

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_build
bench_workdir search

if [ -n "${DATABASE:-}" ]; then
  DB_ARGS=(--database "$DATABASE" --index-dir "$WORK/index")
  BACKEND="postgres"
else
  DB_ARGS=(--db "$WORK/bench.sqlite")
  BACKEND="sqlite"
fi
echo "$("$NW" --version), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), $(nproc) cores, backend $BACKEND" >&2
"$NW" "${DB_ARGS[@]}" init >/dev/null

# The index rebuild: median of 5 (each reads every record and commits a new index).
times=()
for _ in 1 2 3 4 5; do
  times+=("$("$NW" "${DB_ARGS[@]}" admin reindex --json | awk -F': ' '/"millis"/ { gsub(/[^0-9]/, "", $2); print $2 }')")
done
docs=$("$NW" "${DB_ARGS[@]}" admin reindex --json | awk -F': ' '/"documents"/ { gsub(/[^0-9]/, "", $2); print $2 }')
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)

start_server "$PORT" "$NW" "${DB_ARGS[@]}" serve --addr "127.0.0.1:$PORT"

# A wrk script that asks QUERY with a different year window and offset on every request:
# (from, offset) runs through 60 × 2,000 combinations per thread, all distinct.
script() {
  cat > "$WORK/$1.lua" <<LUA
local n = 0
local id = 0
local threads = 0
function setup(thread) thread:set("id", threads); threads = threads + 1 end
function request()
  n = n + 1
  local k = id * 1000003 + n
  local from = 1950 + (k % 60)
  local offset = math.floor(k / 60) % 2000
  return wrk.format("GET", "/api/search?q=$2&from=" .. from .. "&to=2025&limit=10&offset=" .. offset)
end
LUA
}
script word 'security'
script phrase '%22information+security%22'
script prefix 'cyber*'

curl -fs "$BASE/api/search?q=security" >/dev/null
printf '%-44s %10s %8s %8s %8s %8s\n' "request" "req/s" "p50 ms" "p99 ms" non2xx sockerr
run() {
  local label=$1; shift
  local rps p50 p99 non2xx sockerr
  read -r rps p50 p99 non2xx sockerr <<<"$(wrk_fields "$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@")")"
  printf '%-44s %10s %8s %8s %8s %8s\n' "$label" "$rps" "$p50" "$p99" "$non2xx" "$sockerr"
}
run "/healthz (floor of the HTTP stack)" "$BASE/healthz"
run "kept: /api/search?q=security (one address)" "$BASE/api/search?q=security"
run "word security, years, offsets (all new)" -s "$WORK/word.lua" "$BASE"
run "phrase \"information security\" (all new)" -s "$WORK/phrase.lua" "$BASE"
run "prefix cyber* (all new)" -s "$WORK/prefix.lua" "$BASE"
echo
echo "index rebuild (admin reindex: read every record, write and commit): median ${median} ms of 5, $docs passages"
echo "goals (issue 10): /api/search p50 <= 2 ms and p99 <= 10 ms; rebuild of the knowledge base < 1 s"
