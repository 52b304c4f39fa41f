#!/usr/bin/env bash
# General Debate Corpus benchmark (issue 11): normwatch against `tar -xzf` and a plain scan.
# Not part of the test suite.
#
#   C1  `normwatch import speeches` of the .tar.gz (stored and indexed, one transaction)
#       against `tar -xzf` of the same file into a temporary folder
#   C2  `normwatch terms cyber* --by year` (a fresh process) against
#       `rg -c -i -w 'cyber\w*'` over the extracted folder (when rg is installed) and a
#       Python scan with normwatch's token rule (bench/corpus_scan.py)
#
# Each command runs ROUNDS times (default 5) as a fresh process; the report gives medians
# and ratios, and checks that normwatch's yearly counts equal the Python scan's.
#
# Usage: bench/corpus.sh   (ROUNDS=5, NORMWATCH_SHARED_DATA=../shared/data;
#                           NORMWATCH_BIN=PATH measures that binary instead of a release build)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${NORMWATCH_SHARED_DATA:-$ROOT/../shared/data}
ROUNDS=${ROUNDS:-5}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
ARCHIVE=$DATA/ungdc/ungdc-speeches.tar.gz
[ -f "$ARCHIVE" ] || { echo "missing $ARCHIVE: set NORMWATCH_SHARED_DATA to the shared data folder" >&2; exit 1; }

if [ -n "${NORMWATCH_BIN:-}" ]; then
  NW=$NORMWATCH_BIN
  echo "measuring $NW (not a release build unless it is one)" >&2
else
  echo "building normwatch (release)…" >&2
  cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" --bin normwatch
  NW=$TARGET/release/normwatch
fi
echo "$("$NW" --version), python $(python3 -c 'import sys; print(sys.version.split()[0])'), $(nproc) cores" >&2

WORK=$(mktemp -d /tmp/normwatch-corpus-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
TIMINGS=$WORK/timings.tsv

now() { date +%s%N; }

# timed NAME COMMAND… : runs the command (output discarded), appends its wall time.
timed() {
  local name=$1
  shift
  local start end
  start=$(now)
  "$@" > /dev/null
  end=$(now)
  printf '%s\t%s\n' "$name" "$(awk -v ns=$((end - start)) 'BEGIN { printf "%.4f", ns / 1e9 }')" >> "$TIMINGS"
}

for round in $(seq "$ROUNDS"); do
  rm -rf "$WORK/x" "$WORK/db.sqlite"*
  mkdir "$WORK/x"
  timed tar_xzf tar -xzf "$ARCHIVE" -C "$WORK/x"
  timed import "$NW" --db "$WORK/db.sqlite" import speeches "$ARCHIVE"
done

HAVE_RG=no
command -v rg > /dev/null && HAVE_RG=yes
for round in $(seq "$ROUNDS"); do
  timed terms "$NW" --db "$WORK/db.sqlite" terms 'cyber*' --by year --csv
  timed python python3 "$ROOT/bench/corpus_scan.py" "$WORK/x" cyber
  if [ "$HAVE_RG" = yes ]; then
    # rg exits 1 when a file has no match; that is not a failure here.
    timed rg sh -c "rg -c -i -w 'cyber\\w*' '$WORK/x' || true"
  fi
done
[ "$HAVE_RG" = yes ] || echo "rg is not installed: the ripgrep comparison is left out" >&2

# The yearly counts agree with the Python scan (years without a use left out of both).
"$NW" --db "$WORK/db.sqlite" terms 'cyber*' --by year --csv | awk -F, 'NR > 1 && $2 > 0 { print $1 "," $2 }' > "$WORK/nw.csv"
python3 "$ROOT/bench/corpus_scan.py" "$WORK/x" cyber | awk -F, '$2 > 0' > "$WORK/py.csv"
if cmp -s "$WORK/nw.csv" "$WORK/py.csv"; then AGREE=yes; else AGREE=NO; fi

median() { awk -F'\t' -v n="$1" '$1 == n { print $2 }' "$TIMINGS" | sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f", a / b }'; }

T_TAR=$(median tar_xzf); T_IMPORT=$(median import); T_TERMS=$(median terms); T_PY=$(median python); T_RG=$(median rg)
echo
echo "medians of $ROUNDS runs, seconds"
printf '%-40s %8s\n' "tar -xzf" "$T_TAR"
printf '%-40s %8s   %s x tar (goal <= 3)\n' "normwatch import speeches" "$T_IMPORT" "$(ratio "$T_IMPORT" "$T_TAR")"
printf '%-40s %8s   (goal <= 0.050)\n' "normwatch terms cyber* --by year" "$T_TERMS"
printf '%-40s %8s   normwatch is %s x faster\n' "python scan (same token rule)" "$T_PY" "$(ratio "$T_PY" "$T_TERMS")"
[ -n "$T_RG" ] && printf '%-40s %8s   normwatch is %s x faster\n' "rg -c -i -w 'cyber\\w*'" "$T_RG" "$(ratio "$T_RG" "$T_TERMS")"
echo "normwatch's yearly counts equal the Python scan's: $AGREE"
[ "$AGREE" = yes ]
