#!/usr/bin/env bash
# Sign-ins beside reads: does a burst of sign-ins slow everybody else? A release build of
# `normwatch serve` on the embedded database, with one account. In one run it measures the
# document API alone, then the same load while other clients sign in without pause (each
# sign-in verifies an argon2id hash, tens of milliseconds of CPU). Reports, side by side,
# requests/s and p50/p99 of the document API in both phases and their ratios, and the
# sign-ins' own rate and latency. Not part of the test suite; nothing here asserts.
#
# Usage: bench/login.sh        (DURATION=10s; READERS=32 connections on the document API;
#                               SIGNERS=8 connections signing in)
# Needs: wrk (Debian package `wrk`) and curl.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DURATION=${DURATION:-10s}
READERS=${READERS:-32}
SIGNERS=${SIGNERS:-8}
PORT=${PORT:-18081}
ROUTE=/api/documents/A/RES/60/45
EMAIL=bench@example.org
PASSWORD=bench-password-1234

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
bench_build
bench_workdir login

echo "$("$NW" --version), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), $(nproc) cores" >&2
NORMWATCH_ADMIN_EMAIL=$EMAIL NORMWATCH_ADMIN_PASSWORD=$PASSWORD \
  start_server "$PORT" "$NW" --db "$WORK/bench.sqlite" serve --addr "127.0.0.1:$PORT"

BODY="{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}"
cat > "$WORK/login.lua" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
LUA
status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$BODY" "$BASE/api/login")
[ "$status" = 200 ] || { echo "/api/login answered $status, not 200" >&2; cat "$WORK/server.log" >&2; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$ROUTE")
[ "$status" = 200 ] || { echo "$ROUTE answered $status, not 200" >&2; exit 1; }

alone=$(wrk_fields "$(wrk -t2 -c"$READERS" -d"$DURATION" --latency "$BASE$ROUTE")")
wrk -t1 -c"$SIGNERS" -d"$DURATION" --latency -s "$WORK/login.lua" "$BASE/api/login" > "$WORK/signers.txt" &
SIGNERS_PID=$!
sleep 0.5
beside=$(wrk_fields "$(wrk -t2 -c"$READERS" -d"$DURATION" --latency "$BASE$ROUTE")")
wait "$SIGNERS_PID"
signing=$(wrk_fields "$(cat "$WORK/signers.txt")")

read -r a_rps a_p50 a_p99 a_bad _ <<<"$alone"
read -r b_rps b_p50 b_p99 b_bad _ <<<"$beside"
read -r s_rps s_p50 s_p99 s_bad _ <<<"$signing"
printf '%-44s %10s %9s %9s %8s\n' "$ROUTE ($READERS connections)" "req/s" "p50 ms" "p99 ms" non2xx
printf '%-44s %10s %9s %9s %8s\n' "  alone" "$a_rps" "$a_p50" "$a_p99" "$a_bad"
printf '%-44s %10s %9s %9s %8s\n' "  beside $SIGNERS connections signing in" "$b_rps" "$b_p50" "$b_p99" "$b_bad"
awk -v ar="$a_rps" -v br="$b_rps" -v ap="$a_p99" -v bp="$b_p99" 'BEGIN {
  printf "%-44s %9.2fx %19.2fx\n", "  ratio (beside / alone)", br / ar, bp / ap }'
printf '%-44s %10s %9s %9s %8s\n' "/api/login ($SIGNERS connections, beside)" "$s_rps" "$s_p50" "$s_p99" "$s_bad"
