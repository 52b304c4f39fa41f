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
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
NW=$TARGET/release/normwatch
ROUTE=/api/documents/A/RES/60/45
EMAIL=bench@example.org
PASSWORD=bench-password-1234

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

echo "building normwatch (release)…" >&2
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" --bin normwatch

WORK=$(mktemp -d /tmp/normwatch-login-bench.XXXXXX)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "$("$NW" --version), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), $(nproc) cores" >&2
NORMWATCH_LOG=warn NORMWATCH_ADMIN_EMAIL=$EMAIL NORMWATCH_ADMIN_PASSWORD=$PASSWORD \
  "$NW" --db "$WORK/bench.sqlite" serve --addr "127.0.0.1:$PORT" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 600); do
  curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server stopped:" >&2; cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.5
done

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

# to_ms VALUE: wrk's latency (e.g. 812.00us, 1.20ms, 1.05s) in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}
# fields OUTPUT: "req/s p50 p99 non2xx" of one wrk run.
fields() {
  local rps p50 p99 bad
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$1")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$1")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$1")")
  bad=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' <<<"$1")
  echo "$rps $p50 $p99 ${bad:-0}"
}

alone=$(fields "$(wrk -t2 -c"$READERS" -d"$DURATION" --latency "$BASE$ROUTE")")
wrk -t1 -c"$SIGNERS" -d"$DURATION" --latency -s "$WORK/login.lua" "$BASE/api/login" > "$WORK/signers.txt" &
SIGNERS_PID=$!
sleep 0.5
beside=$(fields "$(wrk -t2 -c"$READERS" -d"$DURATION" --latency "$BASE$ROUTE")")
wait "$SIGNERS_PID"
signing=$(fields "$(cat "$WORK/signers.txt")")

read -r a_rps a_p50 a_p99 a_bad <<<"$alone"
read -r b_rps b_p50 b_p99 b_bad <<<"$beside"
read -r s_rps s_p50 s_p99 s_bad <<<"$signing"
printf '%-44s %10s %9s %9s %8s\n' "$ROUTE ($READERS connections)" "req/s" "p50 ms" "p99 ms" non2xx
printf '%-44s %10s %9s %9s %8s\n' "  alone" "$a_rps" "$a_p50" "$a_p99" "$a_bad"
printf '%-44s %10s %9s %9s %8s\n' "  beside $SIGNERS connections signing in" "$b_rps" "$b_p50" "$b_p99" "$b_bad"
awk -v ar="$a_rps" -v br="$b_rps" -v ap="$a_p99" -v bp="$b_p99" 'BEGIN {
  printf "%-44s %9.2fx %19.2fx\n", "  ratio (beside / alone)", br / ar, bp / ap }'
printf '%-44s %10s %9s %9s %8s\n' "/api/login ($SIGNERS connections, beside)" "$s_rps" "$s_p50" "$s_p99" "$s_bad"
