#!/usr/bin/env python3
"""Paired effects of one factor within strata of others, from a sweep's results.sqlite.

`lspsim compare` pairs each option with the baseline across every other factor's values. For
the model documentation we need the same paired differences *within* strata (per model version,
per scenario): this reads the store and prints, for each stratum and option, the mean paired
difference of a measure with its 95% Student-t interval and the shares of pairs better and worse.
Pairs are runs of the same replication with equal values of every factor but the one compared
(common random numbers make them share their random draws).

    python3 docs/tools/paired_effects.py outputs/model-versions --factor governance.pooled_fraction \
        --baseline 0 --by model.version --by scenario
"""
import argparse
import math
import sqlite3
from collections import defaultdict
from pathlib import Path

T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 10: 2.228, 20: 2.086, 30: 2.042, 60: 2.000, 120: 1.980}

def t975(df):
    for bound in sorted(T975):
        if df <= bound:
            return T975[bound]
    return 1.960

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("store")
parser.add_argument("--factor", required=True)
parser.add_argument("--baseline", required=True)
parser.add_argument("--by", action="append", default=[])
parser.add_argument("--metric", default="targets_met_share")
args = parser.parse_args()
path = Path(args.store)
if path.is_dir():
    path = path / "results.sqlite"
db = sqlite3.connect(path)
factors = dict(db.execute("SELECT factor_id, name FROM factors"))
values = defaultdict(dict)
for point, factor, value in db.execute("SELECT point_id, factor_id, value FROM point_values"):
    values[point][factors[factor]] = value
others = [name for name in factors.values() if name != args.factor]
runs = {}
for point, replication, metric in db.execute(f"SELECT point_id, replication, {args.metric} FROM runs WHERE status = 'ok'"):
    key = tuple(values[point][name] for name in others) + (replication,)
    runs[(key, values[point][args.factor])] = metric
options = sorted({option for (_, option) in runs}, key=lambda v: (len(v), v))
diffs = defaultdict(list)
for (key, option), metric in runs.items():
    if option == args.baseline or (key, args.baseline) not in runs or metric is None:
        continue
    stratum = tuple(key[others.index(name)] for name in args.by)
    diffs[(stratum, option)].append(metric - runs[(key, args.baseline)])
print(f"{args.metric}: {args.factor} against {args.baseline}, paired within " + (", ".join(args.by) or "everything"))
print(f"{'stratum':<36} {'option':<28} {'difference':>10}  {'95% CI':<22} {'better':>6} {'worse':>6} {'pairs':>6}")
for (stratum, option) in sorted(diffs, key=lambda s: (s[0], options.index(s[1]))):
    d = diffs[(stratum, option)]
    n = len(d)
    mean = sum(d) / n
    sd = math.sqrt(sum((x - mean) ** 2 for x in d) / (n - 1)) if n > 1 else 0.0
    half = t975(n - 1) * sd / math.sqrt(n) if n > 1 else float("nan")
    better = sum(1 for x in d if x > 1e-12) / n
    worse = sum(1 for x in d if x < -1e-12) / n
    label = ", ".join(f"{name}={value}" for name, value in zip(args.by, stratum))
    print(f"{label:<36} {option:<28} {mean:>10.4f}  [{mean - half:.4f}, {mean + half:.4f}]{'':<2} {better:>6.0%} {worse:>6.0%} {n:>6}")
