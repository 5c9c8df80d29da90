"""Static site vs papermill (issue 6): the time to write every region's portrait (HTML + PDF)
with `regioportret render --all`, against running the parameterised dashboard notebook once
per region with papermill (timed on a sample, per region). Prints; asserts nothing.

    python benchmarks/site.py [DATA] [--papermill N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from regioportret.context import open_context
from regioportret.views.site import render_alles

PROJECT = Path(__file__).resolve().parents[1]


def main() -> None:
    import papermill as pm

    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", default=None)
    ap.add_argument("--papermill", type=int, default=3, help="regions to run through papermill (default 3)")
    args = ap.parse_args()
    ctx = open_context(args.data)
    nummers = [int(n) for n in ctx.indeling.regios["regionummer"]]
    with tempfile.TemporaryDirectory() as tmp:
        render_alles(ctx, Path(tmp) / "warm", voortgang=False)  # caches filled, as in production
        t0 = time.perf_counter()
        render_alles(ctx, Path(tmp) / "site", voortgang=False)
        site = time.perf_counter() - t0
        per_nb = []
        for nr in nummers[: args.papermill]:
            t0 = time.perf_counter()
            pm.execute_notebook(str(PROJECT / "notebooks" / "regioportret.ipynb"), str(Path(tmp) / f"nb-{nr}.ipynb"),
                                parameters={"data": str(ctx.ds.map), "regio": str(nr)}, progress_bar=False,
                                execution_timeout=600, start_timeout=120,
                                cwd=str(PROJECT / "notebooks"))
            per_nb.append(time.perf_counter() - t0)
    nb = statistics.median(per_nb)
    print(f"data: {ctx.ds.map}; {len(nummers)} regions")
    print(f"render --all (index + HTML + PDF per region): {site:.1f} s, {site / len(nummers):.2f} s per region")
    print(f"papermill, parameterised notebook per region: median {nb:.1f} s (of {len(per_nb)}), "
          f"so {nb * len(nummers):.0f} s for all regions")
    print(f"speed-up: {nb * len(nummers) / site:.1f}x (goal >= 10x)")


if __name__ == "__main__":
    main()
