"""Load time of the processed store (issue 2 goal: <= 0.5 s for the real 2019 data).

Prints medians over repeated runs: opening a processed dataset and reading the tables a
portrait needs (in a warm process), the first portrait, and a cold process doing the same.
Usage: python benchmarks/load.py [DATA]   (DATA: raw or processed folder; default
$REGIOPORTRET_REAL_DATA, else the demo data)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

import regioportret as rp
from regioportret.context import actieve_indeling, portret
from regioportret.model.selectie import Kerncijfers


def main() -> None:
    data = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("REGIOPORTRET_REAL_DATA")
    ds = rp.laad(data, voortgang=True)  # builds the cache once when DATA is a raw folder
    map_ = ds.map
    print(f"data: {data or 'demo'} -> processed store {map_}")

    laden, eerste = [], []
    for _ in range(15):
        t0 = time.perf_counter()
        d = rp.Dataset(map_)
        _ = d.leerlingen, d.vestigingen, d.indeling
        t1 = time.perf_counter()
        Kerncijfers.van(portret(d, actieve_indeling(d)))
        t2 = time.perf_counter()
        laden.append(t1 - t0)
        eerste.append(t2 - t1)
    koud = []
    code = (f"import time; t=time.perf_counter(); import regioportret as rp; d=rp.Dataset({str(map_)!r}); "
            "d.leerlingen; d.vestigingen; d.indeling; print(time.perf_counter()-t)")
    for _ in range(5):
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300)
        koud.append(float(r.stdout))
    print(f"load processed tables (warm process), median of 15: {statistics.median(laden):.3f} s  (goal <= 0.5 s)")
    print(f"first portrait after load, median of 15:          {statistics.median(eerste):.3f} s")
    print(f"cold process: import + load, median of 5:          {statistics.median(koud):.3f} s")
    print(f"rows: leerlingen {len(ds.leerlingen):,}; years {ds.jaren}")


if __name__ == "__main__":
    main()
