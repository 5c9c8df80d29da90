"""Scenario speed (issue 16): for every region, one technical offer stops at one of its
vestigingen; prints the median and maximum time from the change to the redrawn scenario panel
in the region builder (model and HTML, in the kernel), and of the model alone. Asserts nothing.

    python benchmarks/scenario.py [DATA] [--regios N]

Goal: a scenario change redraws in at most 300 ms.
"""

from __future__ import annotations

import argparse
import statistics
import time

from regioportret.context import open_context
from regioportret.model import dekking
from regioportret.model.scenario import Wijziging
from regioportret.views.bouwer import Regiobouwer


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", default=None)
    ap.add_argument("--regios", type=int, default=40, help="how many regions to try (default 40)")
    args = ap.parse_args()
    ctx = open_context(args.data)
    t0 = time.perf_counter()
    ctx.dekking, ctx.basis  # noqa: B018 - the context's bases, as a page has them before the first change
    voorbereiding = time.perf_counter() - t0
    aanbod = dekking.aanbod_van(ctx.basis.tabel)
    b = Regiobouwer(ctx)
    model, pagina = [], []
    for nr in list(ctx.indeling.regios["regionummer"])[: args.regios]:
        b.begin.value = str(nr)
        keuze = next(((c, p) for p in aanbod for c in aanbod[p] if c in b.gekozen), None)
        if keuze is None:
            continue
        w = Wijziging(keuze[0], keuze[1], "stopt")
        t1 = time.perf_counter()
        ctx.scenario([w], vestigingen=sorted(b.gekozen), nummer=b.nummer.value, naam=b.naam.value)
        model.append(time.perf_counter() - t1)
        b.zet_scenario([w])
        pagina.append(b.laatste_scenario_s)
        b.zet_scenario([])
    print(f"data: {ctx.ds.map}; {len(model)} regions, one offer stopped in each; bases ready in {voorbereiding:.2f} s")
    print(f"scenario change -> redrawn panel: median {statistics.median(pagina) * 1000:.0f} ms, "
          f"max {max(pagina) * 1000:.0f} ms (goal <= 300 ms)")
    print(f"model alone: median {statistics.median(model) * 1000:.0f} ms, max {max(model) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
