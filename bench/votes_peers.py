"""The peers of bench/votes.sh: the same three workloads with DuckDB and with pandas,
and the report that compares everyone's timings and outputs.

W1  import the three Voeten files (un_roll_calls, un_votes, un_roll_call_issues) into the
    tool's own store, with states resolved to ISO3 the way normwatch does it: ISO2 code
    (Namibia is the string NA), else the name, through kb/states.csv, and a label moved to
    the state holding the seat on the vote's date (Yugoslavia's YU is Serbia and Montenegro
    from 2000-11-01 and Serbia from 2006-06-03).
W2  the ICT-security series' roll calls with totals and No voters.
W3  the all-pairs agreement matrix for sessions 60-74 as CSV a,b,agreement,n.

Usage: python votes_peers.py TOOL WORKLOAD ARGS…   (TOOL duckdb|pandas, WORKLOAD w1|w2|w3)
       python votes_peers.py report TIMINGS.tsv WORKDIR
"""

import csv
import json
import os
import statistics
import sys
from datetime import date

# --------------------------------------------------------------------------- states


def read_states(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def normalize(name):
    return " ".join(name.split()).lower()


def labels(states):
    """label -> ISO3: ISO2 codes as written (upper case) and lower-cased names."""
    out = {}
    for s in states:
        if s["iso2"].strip():
            out[s["iso2"].strip().upper()] = s["iso3"]
        for name in [s["name"]] + [a for a in s["aliases"].split("|") if a.strip()]:
            out.setdefault(normalize(name), s["iso3"])
    return out


def parse_date(text):
    text = text.strip()
    return date.fromisoformat(text) if text else None


def seat_segments(states):
    """(iso3, start, stop, target): a label's votes from start (inclusive) to stop
    (exclusive) belong to target. The same rule as normwatch's States::on."""
    info = {s["iso3"]: s for s in states}
    frm = {k: parse_date(s["member_from"]) for k, s in info.items()}
    to = {k: parse_date(s["member_to"]) for k, s in info.items()}

    def member_on(k, d):
        return frm[k] is not None and frm[k] <= d and (to[k] is None or d < to[k])

    def on(k, d):
        for _ in range(8):
            if to[k] is None or d < to[k]:
                return k
            successor = info[k]["successor"].strip()
            if successor:
                k = successor
                continue
            candidates = [o for o in info if o != k and frm[o] == to[k] and member_on(o, d)]
            if not candidates:
                return k
            k = min(candidates, key=lambda o: (to[o] is None, to[o] or date.max))
        return k

    breaks = sorted({d for d in list(frm.values()) + list(to.values()) if d})
    out = []
    for k in info:
        if to[k] is None:
            continue
        points = [d for d in breaks if d >= to[k]]
        for i, start in enumerate(points):
            stop = points[i + 1] if i + 1 < len(points) else date(9999, 12, 31)
            target = on(k, start)
            if target == k:
                continue
            if out and out[-1][0] == k and out[-1][2] == start and out[-1][3] == target:
                out[-1] = (k, out[-1][1], stop, target)
            else:
                out.append((k, start, stop, target))
    return out


def symbols(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)[0]["documents"]


# --------------------------------------------------------------------------- DuckDB


def duckdb_w1(data, states_csv, db):
    import duckdb

    states = read_states(states_csv)
    con = duckdb.connect(db)
    con.execute("CREATE TABLE labels (label VARCHAR, iso3 VARCHAR)")
    con.executemany("INSERT INTO labels VALUES (?, ?)", list(labels(states).items()))
    con.execute("CREATE TABLE seats (iso3 VARCHAR, start DATE, stop DATE, target VARCHAR)")
    con.executemany("INSERT INTO seats VALUES (?, ?, ?, ?)", seat_segments(states))
    base = os.path.join(data, "unvotes-voeten")
    con.execute(
        f"""CREATE TABLE roll_calls AS
        SELECT rcid, session, importantvote, date, trim(unres) AS unres,
               CASE WHEN trim(unres) LIKE 'R/%' THEN 'A/RES/' || substr(trim(unres), 3) ELSE trim(unres) END AS symbol,
               amend, para, short, descr
        FROM read_csv('{base}/un_roll_calls.csv.gz', header = true,
             columns = {{'rcid': 'INTEGER', 'session': 'INTEGER', 'importantvote': 'INTEGER', 'date': 'DATE',
                         'unres': 'VARCHAR', 'amend': 'INTEGER', 'para': 'INTEGER', 'short': 'VARCHAR', 'descr': 'VARCHAR'}})"""
    )
    con.execute(
        f"""CREATE TABLE votes AS
        SELECT v.rcid, coalesce(s.target, l.iso3) AS iso3, v.vote
        FROM read_csv('{base}/un_votes.csv.gz', header = true, nullstr = '__none__',
             columns = {{'rcid': 'INTEGER', 'country': 'VARCHAR', 'country_code': 'VARCHAR', 'vote': 'VARCHAR'}}) v
        JOIN roll_calls r USING (rcid)
        JOIN labels l ON l.label = CASE WHEN v.country_code = '' THEN lower(v.country) ELSE v.country_code END
        LEFT JOIN seats s ON s.iso3 = l.iso3 AND r.date >= s.start AND r.date < s.stop"""
    )
    con.execute(
        f"""CREATE TABLE issues AS SELECT * FROM read_csv('{base}/un_roll_call_issues.csv.gz', header = true,
             columns = {{'rcid': 'INTEGER', 'short_name': 'VARCHAR', 'issue': 'VARCHAR'}})"""
    )
    con.close()


def duckdb_w2(db, series_json, out):
    import duckdb

    con = duckdb.connect(db, read_only=True)
    rows = con.execute(
        """SELECT r.symbol, r.rcid, r.date,
                  count(*) FILTER (WHERE v.vote = 'yes') AS yes,
                  count(*) FILTER (WHERE v.vote = 'no') AS no,
                  count(*) FILTER (WHERE v.vote = 'abstain') AS abstain,
                  coalesce(list_sort(list(v.iso3) FILTER (WHERE v.vote = 'no')), []) AS voted_no
           FROM roll_calls r JOIN votes v USING (rcid)
           WHERE r.symbol IN (SELECT unnest(?::VARCHAR[])) AND coalesce(r.amend, 0) = 0 AND coalesce(r.para, 0) = 0
             AND year(r.date) BETWEEN 2005 AND 2021
           GROUP BY ALL ORDER BY r.date, r.symbol""",
        [symbols(series_json)],
    ).fetchall()
    result = [
        {"symbol": s, "record": f"rcid={rcid}", "date": str(d), "yes": y, "no": n, "abstain": a, "voted_no": list(no)}
        for s, rcid, d, y, n, a, no in rows
    ]
    with open(out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)


def duckdb_w3(db, out):
    import duckdb

    con = duckdb.connect(db, read_only=True)
    con.execute(
        f"""COPY (
            WITH v AS (SELECT rcid, iso3, vote FROM votes JOIN roll_calls USING (rcid) WHERE session BETWEEN 60 AND 74)
            SELECT a.iso3 AS a, b.iso3 AS b, avg((a.vote = b.vote)::DOUBLE) AS agreement, count(*) AS n
            FROM v a JOIN v b ON a.rcid = b.rcid AND a.iso3 < b.iso3
            GROUP BY ALL ORDER BY a, b
        ) TO '{out}' (HEADER, DELIMITER ',')"""
    )


# --------------------------------------------------------------------------- pandas


def pandas_w1(data, states_csv, store):
    import pandas as pd

    states = read_states(states_csv)
    base = os.path.join(data, "unvotes-voeten")
    roll_calls = pd.read_csv(
        f"{base}/un_roll_calls.csv.gz",
        keep_default_na=False,
        na_values=[""],
        dtype={"rcid": "int32", "session": "int16", "unres": "string", "short": "string", "descr": "string"},
        parse_dates=["date"],
    )
    roll_calls["unres"] = roll_calls["unres"].str.strip()
    roll_calls["symbol"] = roll_calls["unres"].str.replace(r"^R/", "A/RES/", regex=True)
    votes = pd.read_csv(
        f"{base}/un_votes.csv.gz",
        keep_default_na=False,
        dtype={"rcid": "int32", "country": "string", "country_code": "string", "vote": "category"},
    )
    label = votes["country_code"].where(votes["country_code"] != "", votes["country"].str.lower())
    votes["iso3"] = label.map(labels(states))
    votes = votes.merge(roll_calls[["rcid", "date"]], on="rcid")
    for iso3, start, stop, target in seat_segments(states):
        moved = (votes["iso3"] == iso3) & (votes["date"] >= pd.Timestamp(start)) & (votes["date"] < pd.Timestamp(stop))
        votes.loc[moved, "iso3"] = target
    votes = votes[["rcid", "iso3", "vote"]].astype({"iso3": "category"})
    issues = pd.read_csv(f"{base}/un_roll_call_issues.csv.gz", keep_default_na=False, dtype={"rcid": "int32"})
    pd.to_pickle({"roll_calls": roll_calls, "votes": votes, "issues": issues}, store)


def pandas_w2(store, series_json, out):
    import pandas as pd

    tables = pd.read_pickle(store)
    rc = tables["roll_calls"]
    wanted = rc[
        rc["symbol"].isin(symbols(series_json))
        & (rc["amend"].fillna(0) == 0)
        & (rc["para"].fillna(0) == 0)
        & rc["date"].dt.year.between(2005, 2021)
    ]
    votes = tables["votes"].merge(wanted[["rcid", "symbol", "date"]], on="rcid")
    result = []
    for (symbol, rcid, d), group in votes.groupby(["symbol", "rcid", "date"], observed=True):
        counts = group["vote"].value_counts()
        result.append(
            {
                "symbol": symbol,
                "record": f"rcid={rcid}",
                "date": d.date().isoformat(),
                "yes": int(counts.get("yes", 0)),
                "no": int(counts.get("no", 0)),
                "abstain": int(counts.get("abstain", 0)),
                "voted_no": sorted(group.loc[group["vote"] == "no", "iso3"].astype(str)),
            }
        )
    result.sort(key=lambda r: (r["date"], r["symbol"]))
    with open(out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)


def pandas_w3(store, out):
    import numpy as np
    import pandas as pd

    tables = pd.read_pickle(store)
    rc = tables["roll_calls"]
    ids = rc.loc[rc["session"].between(60, 74), "rcid"]
    votes = tables["votes"][tables["votes"]["rcid"].isin(ids)]
    states = sorted(votes["iso3"].astype(str).unique())
    row = pd.Categorical(votes["iso3"].astype(str), categories=states).codes
    col = pd.Categorical(votes["rcid"]).codes
    shape = (len(states), int(col.max()) + 1)
    matrices = {}
    for value in ("yes", "no", "abstain"):
        m = np.zeros(shape, dtype=np.float32)
        mask = (votes["vote"] == value).to_numpy()
        m[row[mask], col[mask]] = 1
        matrices[value] = m
    cast = matrices["yes"] + matrices["no"] + matrices["abstain"]
    same = sum(m @ m.T for m in matrices.values())
    n = cast @ cast.T
    a, b = np.triu_indices(len(states), k=1)
    keep = n[a, b] > 0
    a, b = a[keep], b[keep]
    frame = pd.DataFrame(
        {
            "a": np.array(states)[a],
            "b": np.array(states)[b],
            "agreement": same[a, b].astype(np.float64) / n[a, b].astype(np.float64),
            "n": n[a, b].astype(np.int64),
        }
    )
    frame.to_csv(out, index=False)


# --------------------------------------------------------------------------- report


def load_matrix(path):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        return header, {(r[0], r[1]): (float(r[2]), int(r[3])) for r in reader}


def compare_outputs(work):
    lines = []
    header, reference = load_matrix(os.path.join(work, "normwatch-w3.csv"))
    lines.append(f"W3 normwatch: header {','.join(header)}, {len(reference)} pairs")
    peers = [t for t in ("normwatch-pg", "duckdb", "pandas") if os.path.exists(os.path.join(work, f"{t}-w3.csv"))]
    for tool in peers:
        h, other = load_matrix(os.path.join(work, f"{tool}-w3.csv"))
        differing = [k for k in reference if k not in other or other[k][1] != reference[k][1] or abs(other[k][0] - reference[k][0]) > 1e-9]
        extra = [k for k in other if k not in reference]
        lines.append(
            f"W3 {tool}: header {','.join(h)}, {len(other)} pairs; "
            + ("identical to normwatch" if not differing and not extra else f"{len(differing)} pairs differ, {len(extra)} extra")
        )
    with open(os.path.join(work, "normwatch-w2.json"), encoding="utf-8") as f:
        ours = json.load(f)["side_by_side"]["roll_calls"]
    ours = [(r["symbol"], r["totals"]["yes"], r["totals"]["no"], r["totals"]["abstain"], r["voted_no"]) for r in ours]
    lines.append(f"W2 normwatch: {len(ours)} roll calls: " + ", ".join(f"{s} {y}-{n}-{a}" for s, y, n, a, _ in ours))
    if "normwatch-pg" in peers:
        with open(os.path.join(work, "normwatch-pg-w2.json"), encoding="utf-8") as f:
            pg = json.load(f)["side_by_side"]["roll_calls"]
        pg = [(r["symbol"], r["totals"]["yes"], r["totals"]["no"], r["totals"]["abstain"], r["voted_no"]) for r in pg]
        lines.append("W2 normwatch-pg: " + ("identical to normwatch on SQLite" if pg == ours else "DIFFERENT from SQLite"))
    for tool in ("duckdb", "pandas"):
        with open(os.path.join(work, f"{tool}-w2.json"), encoding="utf-8") as f:
            theirs = [(r["symbol"], r["yes"], r["no"], r["abstain"], r["voted_no"]) for r in json.load(f)]
        lines.append(f"W2 {tool}: {len(theirs)} roll calls; " + ("identical to normwatch" if theirs == ours else "DIFFERENT from normwatch"))
    return lines


def report(timings, work):
    rows = []
    with open(timings, encoding="utf-8") as f:
        for line in f:
            tool, workload, round_, seconds = line.split()
            rows.append((tool, workload, int(round_), float(seconds)))
    tools = ["normwatch", "duckdb", "pandas"]
    if any(t == "normwatch-pg" for t, _, _, _ in rows):
        tools.insert(1, "normwatch-pg")
    median = lambda xs: statistics.median(xs) if xs else float("nan")
    table = {}
    for tool in tools + ["gzip"]:
        for workload in ("w1", "w2", "w3", "gunzip"):
            xs = [s for t, w, _, s in rows if t == tool and w == workload]
            if xs:
                table[(tool, workload)] = median(xs)
    totals = {}
    for tool in tools:
        per_round = {}
        for t, w, r, s in rows:
            if t == tool and w in ("w1", "w2", "w3"):
                per_round[r] = per_round.get(r, 0.0) + s
        totals[tool] = median(list(per_round.values()))
    rounds = len({r for _, _, r, _ in rows})
    print(f"\nmedians of {rounds} rounds, seconds (wall clock, each workload a fresh process)\n")
    print(f"{'tool':<12} {'W1 import':>10} {'W2 cyber':>10} {'W3 matrix':>10} {'W1+W2+W3':>10}")
    for tool in tools:
        print(
            f"{tool:<12} {table[(tool, 'w1')]:>10.3f} {table[(tool, 'w2')]:>10.3f} {table[(tool, 'w3')]:>10.3f} {totals[tool]:>10.3f}"
        )
    gz = table[("gzip", "gunzip")]
    print(f"{'gzip -dc':<10} {gz:>10.3f}   (the three Voeten files to /dev/null)")
    nw = totals["normwatch"]
    fastest_peer = min(("duckdb", "pandas"), key=lambda t: totals[t])
    print("\nratios")
    for tool in ("duckdb", "pandas"):
        print(
            f"  {tool} / normwatch: W1 {table[(tool, 'w1')] / table[('normwatch', 'w1')]:.1f}x, "
            f"W2 {table[(tool, 'w2')] / table[('normwatch', 'w2')]:.1f}x, "
            f"W3 {table[(tool, 'w3')] / table[('normwatch', 'w3')]:.1f}x, end to end {totals[tool] / nw:.1f}x"
        )
    print(f"  faster peer ({fastest_peer}) / normwatch, end to end: {totals[fastest_peer] / nw:.1f}x  (target >= 5x)")
    print(f"  normwatch W1 / gzip -dc: {table[('normwatch', 'w1')] / gz:.2f}x  (target <= 2x)")
    if "normwatch-pg" in tools:
        pg = totals["normwatch-pg"]
        print(
            f"  normwatch on PostgreSQL / on SQLite: W1 {table[('normwatch-pg', 'w1')] / table[('normwatch', 'w1')]:.1f}x, "
            f"W2 {table[('normwatch-pg', 'w2')] / table[('normwatch', 'w2')]:.1f}x, "
            f"W3 {table[('normwatch-pg', 'w3')] / table[('normwatch', 'w3')]:.1f}x, end to end {pg / nw:.1f}x"
        )
        print(f"  faster peer ({fastest_peer}) / normwatch on PostgreSQL, end to end: {totals[fastest_peer] / pg:.1f}x")
    print(f"  normwatch W1+W2+W3 / gzip -dc: {nw / gz:.2f}x")
    print("\noutputs")
    for line in compare_outputs(work):
        print("  " + line)


def main(argv):
    if len(argv) >= 2 and argv[1] == "report":
        report(argv[2], argv[3])
        return
    tool, workload, *args = argv[1:]
    {
        ("duckdb", "w1"): duckdb_w1,
        ("duckdb", "w2"): duckdb_w2,
        ("duckdb", "w3"): duckdb_w3,
        ("pandas", "w1"): pandas_w1,
        ("pandas", "w2"): pandas_w2,
        ("pandas", "w3"): pandas_w3,
    }[(tool, workload)](*args)


if __name__ == "__main__":
    main(sys.argv)
