"""Seed generation speed and memory: `creditgraph seed` in a child process (so its peak memory
is its own), against a baseline in the same run that writes the same number of constant rows
with the csv module (the I/O floor)."""

from __future__ import annotations

import csv
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def baseline(rows: int, out: Path) -> float:
    start = time.perf_counter()
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        row = ["91330106MA2H4B6C4L", "杭州测试商贸有限公司", "2016-03-28", "330106", "0571-8"]
        for _ in range(rows):
            writer.writerow(row)
    return time.perf_counter() - start


def run(enterprises: int) -> dict:
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "seed"
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "creditgraph.cli.main", "seed", "--enterprises",
                        str(enterprises), "--out", str(out), "--format", "json"],
                       check=True, capture_output=True)
        seconds = time.perf_counter() - start
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        rows = sum(sum(1 for _ in p.open(encoding="utf-8")) - 1 for p in out.glob("*.csv"))
        floor = baseline(rows, Path(directory) / "floor.csv")
    return {"enterprises": enterprises, "rows": rows, "seconds": seconds,
            "peak_mib": peak_mib, "floor_seconds": floor}
