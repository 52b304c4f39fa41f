# Shared by the server benchmarks (serve.sh, search.sh, login.sh); sourced, not run.
# Needs: wrk and curl.

# bench_build: checks for wrk and curl, builds the release binary and sets NW to it
# (in CARGO_TARGET_DIR when set); needs ROOT, the checkout.
bench_build() {
  command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
  command -v curl >/dev/null || { echo "curl is missing: apt-get install curl" >&2; exit 1; }
  echo "building normwatch (release)…" >&2
  cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" --bin normwatch
  NW=${CARGO_TARGET_DIR:-$ROOT/target}/release/normwatch
}

# bench_workdir NAME: a fresh directory in $WORK, removed (with the server, if one runs) on exit.
bench_workdir() {
  WORK=$(mktemp -d "/tmp/normwatch-$1-bench.XXXXXX")
  SERVER_PID=
  trap bench_cleanup EXIT
}

bench_cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}

# start_server PORT COMMAND...: runs COMMAND in the background (its output in
# $WORK/server.log), sets SERVER_PID and BASE, and waits until /healthz answers (at most 5
# minutes, for a first import of large datasets); exits with the log if the server stops.
start_server() {
  local port=$1; shift
  NORMWATCH_LOG=${NORMWATCH_LOG:-warn} "$@" > "$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  BASE="http://127.0.0.1:$port"
  for _ in $(seq 1 1200); do
    curl -fs "$BASE/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server stopped:" >&2; cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.25
  done
  echo "the server did not come up" >&2
  cat "$WORK/server.log" >&2
  exit 1
}

# to_ms VALUE: wrk's latency (e.g. 812.00us, 1.20ms, 1.05s) in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}

# wrk_fields OUTPUT: "req/s p50-ms p99-ms non-2xx socket-errors" of one `wrk --latency` run.
wrk_fields() {
  local rps p50 p99 non2xx sockerr
  rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$1")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$1")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$1")")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' <<<"$1")
  sockerr=$(awk -F'[ ,]+' '/Socket errors:/ { print $4 + $6 + $8 + $10 }' <<<"$1")
  echo "$rps $p50 $p99 ${non2xx:-0} ${sockerr:-0}"
}
