"""Export speed (issue 6): seconds per region for the A4 PDF and the Excel workbook, in a warm
process (data loaded, caches filled), as medians; and the dashboard's first PDF in a fresh page
kernel (issue 24: a click on 'Portret als pdf' pays the imports of WeasyPrint and matplotlib;
goal at most 3 s on the real data). Prints; asserts nothing.

    python benchmarks/export.py [DATA] [--regios N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from regioportret.context import open_context
from regioportret.views.export import xlsx_bytes
from regioportret.views.pdf import portret_pdf


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", default=None)
    ap.add_argument("--regios", type=int, default=10, help="how many regions to time (default 10)")
    args = ap.parse_args()
    ctx = open_context(args.data)  # once per dataset, as the app does
    nummers = [int(n) for n in ctx.indeling.regios["regionummer"]][: args.regios]
    portret_pdf(ctx.selectie(nummers[:1]), ctx.kaartlagen, ctx.scholen)  # warm: map layers, forecast cache, fonts
    pdf, xlsx, grootte = [], [], []
    for n in nummers:
        s = ctx.selectie([n])
        t0 = time.perf_counter()
        inhoud = portret_pdf(s, ctx.kaartlagen, ctx.scholen)
        pdf.append(time.perf_counter() - t0)
        grootte.append(len(inhoud))
        t0 = time.perf_counter()
        xlsx_bytes(ctx.aantallen(s))
        xlsx.append(time.perf_counter() - t0)
    print(f"data: {ctx.ds.map}; {len(nummers)} regions timed")
    print(f"A4 PDF per region: median {statistics.median(pdf):.2f} s, max {max(pdf):.2f} s (goal <= 2 s); "
          f"median size {statistics.median(grootte) / 1024:.0f} kB")
    print(f"Excel per region: median {statistics.median(xlsx):.2f} s, max {max(xlsx):.2f} s")
    koud = [eerste_pdf_in_een_paginakernel(args.data, nummers[0]) for _ in range(3)]
    print(f"first PDF in a fresh page kernel (imports included): median {statistics.median(koud):.2f} s, "
          f"max {max(koud):.2f} s (goal <= 3 s)")


_EERSTE_PDF = """
import sys, time
from regioportret.views.paginakernel import zonder_zware_imports
zonder_zware_imports()  # as a page's kernel: no pyarrow, no debugger
from regioportret.context import open_context
ctx = open_context(sys.argv[1] or None)
s = ctx.selectie([int(sys.argv[2])]); ctx.kaartlagen, ctx.scholen  # the page is open: the bundle is there
t = time.perf_counter()
from regioportret.views.pdf import portret_pdf
portret_pdf(s, ctx.kaartlagen, ctx.scholen)
print(time.perf_counter() - t)
"""


def eerste_pdf_in_een_paginakernel(data: str | None, regio: int) -> float:
    r = subprocess.run([sys.executable, "-c", _EERSTE_PDF, data or "", str(regio)], capture_output=True, text=True,
                       timeout=600, check=True)
    return float(r.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
