#!/usr/bin/env bash
# The open dataset read by DuckDB: builds a database with the built-in knowledge base and
# the unvotes and UNDL-scrape imports, runs `normwatch export dataset`, then has DuckDB
# (installed from PyPI into a throwaway virtualenv under /tmp, as bench/votes.sh does) read
# every table from CSV and from Parquet and check that both give the same rows, that the
# vote counts of each unvotes roll call equal its votes counted, and that every vote's roll
# call exists. Prints the export's time and the files' sizes. Not part of the test suite
# (it downloads DuckDB).
#
# Usage: bench/dataset.sh      (NORMWATCH_SHARED_DATA=../shared/data)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=${NORMWATCH_SHARED_DATA:-$ROOT/../shared/data}
VENV=${BENCH_VENV:-/tmp/normwatch-bench-venv}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
PROFILE=${PROFILE:-release}
NW=$TARGET/$PROFILE/normwatch

for f in "$DATA/unvotes-voeten/un_votes.csv.gz" "$DATA/undl-voting-scrape-2021/UN DATA.csv.gz"; do
  [ -f "$f" ] || { echo "missing $f: set NORMWATCH_SHARED_DATA to the shared data folder" >&2; exit 1; }
done

echo "building normwatch ($PROFILE)…" >&2
if [ "$PROFILE" = release ]; then
  cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" --bin normwatch
else
  cargo build --quiet --manifest-path "$ROOT/Cargo.toml" --bin normwatch
fi

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import duckdb' 2>/dev/null; then
  echo "installing duckdb into $VENV…" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check duckdb
fi

WORK=$(mktemp -d /tmp/normwatch-dataset.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
"$NW" --db "$WORK/db.sqlite" init > /dev/null
"$NW" --db "$WORK/db.sqlite" import votes "$DATA/unvotes-voeten" > /dev/null
"$NW" --db "$WORK/db.sqlite" import votes "$DATA/undl-voting-scrape-2021/UN DATA.csv.gz" > /dev/null
start=$(date +%s%N)
"$NW" --db "$WORK/db.sqlite" export dataset "$WORK/out" --format csv,parquet
echo "export: $(( ($(date +%s%N) - start) / 1000000 )) ms" >&2
ls -l "$WORK/out" >&2

"$VENV/bin/python" - "$WORK/out" <<'PY'
import json, sys, duckdb
out = sys.argv[1]
con = duckdb.connect()
def one(sql):
    return con.execute(sql).fetchall()[0][0]
print(f"duckdb {duckdb.__version__}")
package = json.load(open(f"{out}/datapackage.json"))
failures = 0
for resource in package["resources"]:
    name = resource["name"]
    columns = [f["name"] for f in resource["schema"]["fields"]]
    # Every column as text, nulls as '', so CSV and Parquet compare value for value.
    select = ", ".join(f"coalesce(cast(\"{c}\" as varchar), '') as \"{c}\"" for c in columns)
    csv = f"read_csv('{out}/{name}.csv', header=true, all_varchar=true, sample_size=-1)"
    parquet = f"read_parquet('{out}/{name}.parquet')"
    n_csv = one(f"select count(*) from {csv}")
    n_parquet = one(f"select count(*) from {parquet}")
    differ = one(f"select count(*) from ((select {select} from {csv}) except all (select {select} from {parquet}))")
    parquet_columns = [r[0] for r in con.execute(f"describe select * from {parquet}").fetchall()]
    ok = n_csv == n_parquet == resource["rows"] and differ == 0 and parquet_columns == columns
    failures += not ok
    print(f"  {'ok  ' if ok else 'FAIL'} {name:<16} {n_csv:>9} rows  csv/parquet rows differing: {differ}")
bad = one(f"""
  with counted as (select rollcall_id, count(*) filter (vote = 'yes') y, count(*) filter (vote = 'no') n,
                          count(*) filter (vote = 'abstain') a from read_parquet('{out}/votes.parquet') group by 1)
  select count(*) from read_parquet('{out}/rollcalls.parquet') r left join counted c using (rollcall_id)
  where r.dataset = 'unvotes' and (coalesce(c.y, 0) <> r.yes or coalesce(c.n, 0) <> r.no or coalesce(c.a, 0) <> r.abstain)
""")
orphans = one(f"""select count(*) from read_parquet('{out}/votes.parquet') v
  anti join read_parquet('{out}/rollcalls.parquet') r using (rollcall_id)""")
print(f"  unvotes roll calls whose totals differ from their votes: {bad}; votes without a roll call: {orphans}")
for row in con.execute(f"""select r.symbol, r.date, v.vote, count(*) states from read_parquet('{out}/votes.parquet') v
  join read_parquet('{out}/rollcalls.parquet') r using (rollcall_id)
  where r.symbol = 'A/RES/73/27' and r.dataset = 'undl-scrape-2021' group by all order by all""").fetchall():
    print("  ", *row)
sys.exit(1 if failures or bad or orphans else 0)
PY
