"""The Python peer of bench/corpus.sh: counts a prefix pattern per year over the extracted
General Debate Corpus with normwatch's token rule (maximal runs of letters and digits,
lower-cased), and prints `year,count` lines.

Usage: python3 bench/corpus_scan.py FOLDER PREFIX
"""
import os
import re
import sys
from collections import Counter

# \w is letters, digits and the underscore in Python's Unicode regexes; the underscore is
# not part of a token, so it is excluded.
TOKEN = re.compile(r"[^\W_]+")


def main():
    folder, prefix = sys.argv[1], sys.argv[2].lower()
    counts = Counter()
    for root, _dirs, files in os.walk(folder):
        for name in files:
            if not name.endswith(".txt"):
                continue
            year = int(name[-8:-4])
            with open(os.path.join(root, name), encoding="utf-8-sig") as f:
                text = f.read()
            counts[year] += sum(1 for t in TOKEN.findall(text) if t.lower().startswith(prefix))
    for year in sorted(counts):
        print(f"{year},{counts[year]}")


main()
