#!/usr/bin/env python3
"""Calibrates the indicators' responsiveness (rho_k) of a shipped scenario, in place.

The method of docs/MODEL.md ("Calibration"): each indicator's responsiveness line carries, in its
comment, the expected-delivery ratio R_k ("expected delivery ~1.15x stretch"), a modelling choice
that sets how hard each target is. With E_k = E[sum over quarters of Qlag_k(t)^gamma], measured
from a run's indicators.csv as mean over replications of d_k (y_k(T) - y_k(0) - T trend_k) / rho_k,

    rho_k = (R_k |y*_k - y_k(0)| - d_k trend_k T) / E_k,

rounded to 3 significant figures, and repeated (a fixed-point iteration: performance management,
trust and engagement react to how well targets go). Only responsiveness changes; every other value
of the file stays as it is, comments included.

Usage, from the project folder, with a release build:
    python3 docs/tools/calibrate.py scenarios/two-tier-county.yaml --iterations 6
Needs PyYAML (Debian: python3-yaml; PyPI: pyyaml).
"""
import argparse
import csv
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import yaml

root = Path(__file__).resolve().parents[2]
parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("scenario")
parser.add_argument("--iterations", type=int, default=6)
parser.add_argument("--replications", type=int, default=400)
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--lspsim", default=str(root / ".build/release/lspsim"))
args = parser.parse_args()
path = Path(args.scenario)

def run(out):
    subprocess.run([args.lspsim, "run", str(path), "-r", str(args.replications), "-s", str(args.seed),
                    "-o", out, "-q"], check=True)
    summary = list(csv.DictReader(open(Path(out) / "summary.csv")))
    share = sum(float(r["targets_met_share"]) for r in summary) / len(summary)
    values = defaultdict(dict)
    for r in csv.DictReader(open(Path(out) / "indicators.csv")):
        values[(r["indicator"], int(r["replication"]))][int(r["quarter"])] = float(r["value"])
    return share, values

def sig3(x):
    return float(f"{x:.3g}")

line_pattern = re.compile(r"^(\s+responsiveness:\s*)(\S+)(\s*#.*?~([0-9.]+)x stretch.*)$")
for iteration in range(args.iterations + 1):
    text = path.read_text()
    scenario = yaml.safe_load(text)
    T = scenario["area"].get("quarters", 12)
    with tempfile.TemporaryDirectory() as out:
        share, values = run(out)
    print(f"iteration {iteration}: mean share of targets met {share:.4f}")
    if iteration == args.iterations:
        break
    lines = text.split("\n")
    indicator_index = -1
    ids = [ind["id"] for ind in scenario["indicators"]]
    for n, line in enumerate(lines):
        if re.match(r"^  - id: ", line) and indicator_index + 1 < len(ids) and line.split(":", 1)[1].strip() == str(ids[indicator_index + 1]):
            indicator_index += 1
            continue
        match = line_pattern.match(line)
        if not match:
            continue
        ind = scenario["indicators"][indicator_index]
        d = 1 if ind["higher_is_better"] else -1
        trend = float(ind.get("trend", 0.0))
        rho = float(ind["responsiveness"])
        reps = [r for (k, r) in values if k == str(ind["id"])]
        delivered = [d * (values[(str(ind["id"]), r)][T] - values[(str(ind["id"]), r)][0] - T * trend) for r in reps]
        expected = sum(delivered) / len(delivered) / rho
        ratio = float(match.group(4))
        stretch = d * (float(ind["target"]) - float(ind["baseline"]))
        new = sig3((ratio * abs(stretch) - d * trend * T) / expected)
        if new <= 0:
            sys.exit(f"{ind['id']}: the trend alone delivers the stretch; responsiveness would be {new}")
        # Keep the comment's column: pad the new number to the width the old one and its spaces had.
        width = len(match.group(2)) + len(match.group(3)) - len(match.group(3).lstrip())
        lines[n] = f"{match.group(1)}{new:g}".ljust(len(match.group(1)) + max(width, len(f"{new:g}") + 1)) + match.group(3).lstrip()
    path.write_text("\n".join(lines))
