"""Coverage speed (issue 16): seconds to compute the coverage basis of a dataset (every PC4's
distance to each technical profiel, uncached, as in a first context), and the median time to
summarise it for one region (what a tick adds). Prints; asserts nothing.

    python benchmarks/dekking.py [DATA] [--herhaal N]
"""

from __future__ import annotations

import argparse
import statistics
import time

from regioportret.context import open_context
from regioportret.model import dekking


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", default=None)
    ap.add_argument("--herhaal", type=int, default=3, help="how often to compute the basis (default 3)")
    args = ap.parse_args()
    ctx = open_context(args.data)
    ds, t = ctx.ds, ctx.basis.tabel
    if ds.pc4 is None or ds.bevolking is None:
        print(f"data: {ds.map}: no residents per PC4 or no PC4 centroids; nothing to time")
        return
    aanbod = dekking.aanbod_van(t)
    jongeren = dekking.jongeren_per_pc4(ds.bevolking)
    tijden = []
    for _ in range(args.herhaal):
        t0 = time.perf_counter()
        tabel, _ = dekking.basis(ds.pc4, jongeren, ds.locaties, aanbod)
        tijden.append(time.perf_counter() - t0)
    regios = ctx.indeling.tabel.groupby("regionummer")["vestigingscode"].agg(set)
    per = []
    for codes in regios:
        t0 = time.perf_counter()
        dekking.samenvatting(tabel, aanbod, codes)
        per.append(time.perf_counter() - t0)
    print(f"data: {ds.map}; {len(tabel)} PC4 areas, {len(ds.locaties)} located vestigingen")
    print(f"coverage basis (all PC4s x 5 profielen): median {statistics.median(tijden):.2f} s over {args.herhaal} runs "
          "(goal: all regions <= 10 s)")
    print(f"summary per region: median {statistics.median(per) * 1000:.1f} ms, max {max(per) * 1000:.1f} ms "
          f"over {len(per)} regions")


if __name__ == "__main__":
    main()
