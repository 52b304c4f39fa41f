#!/usr/bin/env bash
# Serving benchmark: a release build of `normwatch serve` on the embedded database with both
# shared vote datasets imported, loaded with wrk on loopback (2 threads, 32 connections).
# Reports, in one run, requests/s and p50/p99 latency per route, each route's throughput as a
# ratio to /healthz (the floor set by the HTTP stack itself), non-2xx answers and socket
# errors. Not part of the test suite; nothing here asserts.
#
# Usage: bench/serve.sh                 (DURATION=10s, NORMWATCH_SHARED_DATA=../shared/data)
#        DATABASE=postgres://u:p@127.0.0.1/db bench/serve.sh   (the same routes on PostgreSQL;
#                                        the database must be empty or a normwatch database)
# Needs: wrk (Debian package `wrk`) and curl.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${NORMWATCH_SHARED_DATA:-$ROOT/../shared/data}
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-18080}
VOTES=("$DATA/unvotes-voeten" "$DATA/undl-voting-scrape-2021/UN DATA.csv.gz")

for v in "${VOTES[@]}"; do
  [ -e "$v" ] || { echo "missing $v: set NORMWATCH_SHARED_DATA to the shared data folder" >&2; exit 1; }
done

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_build
bench_workdir serve

if [ -n "${DATABASE:-}" ]; then
  DB_ARGS=(--database "$DATABASE" --index-dir "$WORK/index")
  BACKEND="postgres"
else
  DB_ARGS=(--db "$WORK/bench.sqlite")
  BACKEND="sqlite"
fi

echo "$("$NW" --version), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), $(nproc) cores, backend $BACKEND" >&2
echo "starting the server and importing both vote datasets…" >&2
start_server "$PORT" "$NW" "${DB_ARGS[@]}" serve --addr "127.0.0.1:$PORT" \
  --votes "${VOTES[0]}" --votes "${VOTES[1]}"

ROUTES=(
  "/healthz"
  "/api/documents/A/RES/60/45"
  "/documents/A/RES/60/45"
  "/api/states/USA"
  "/api/search?q=critical+infrastructure"
  "/api/measurement"
)

# Every route must answer 200 before it is measured (and this warms the caches).
for route in "${ROUTES[@]}"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$route")
  [ "$status" = 200 ] || { echo "$route answered $status, not 200" >&2; exit 1; }
done

printf '%-40s %12s %9s %9s %9s %8s %8s\n' route "req/s" "p50 ms" "p99 ms" "/healthz" non2xx sockerr
HEALTH_RPS=
for route in "${ROUTES[@]}"; do
  read -r rps p50 p99 non2xx sockerr <<<"$(wrk_fields "$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$BASE$route")")"
  [ -z "$HEALTH_RPS" ] && HEALTH_RPS=$rps
  ratio=$(awk -v a="$rps" -v b="$HEALTH_RPS" 'BEGIN { printf "%.1f%%", 100 * a / b }')
  printf '%-40s %12s %9s %9s %9s %8s %8s\n' "$route" "$rps" "$p50" "$p99" "$ratio" "$non2xx" "$sockerr"
done
echo
echo "goals (issue 9): document API >= 20000 req/s with p99 < 10 ms (>= 12% of /healthz); every route p99 < 25 ms;"
echo "                 zero non-2xx answers and zero socket errors."
