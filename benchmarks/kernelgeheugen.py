"""One page's kernel, step by step (issue 12): RSS and CPU of the page kernel the app starts,
after each thing a visitor does on the dashboard. Prints a table; asserts nothing.

    python benchmarks/kernelgeheugen.py ../shared/data

The kernel is started from the app's own kernel spec (views.app.Paginakernels), so it is the
kernel a visitor gets; `--gewoon` starts the ordinary ipykernel instead, for comparison. The
cache is filled first, as the launcher does.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

import psutil
from jupyter_client.manager import KernelManager

STAPPEN = [
    ("pagina getekend (landelijk)", "from regioportret.views.dashboard import toon_dashboard\n"
                                    "d = toon_dashboard()"),
    ("regio's 12 en 14 aangevinkt", "d.kies([12, 14])"),
    ("alle regio's aangevinkt", "d.kies(list(d.regiolijst.nummers))"),
    ("kaart gekleurd, school gezocht", "d.kies([3]); d.kleur_kaart('aandeel'); d.kleur_kaart('PIE'); "
                                       "d.zoek_school('Amsterdam')"),
    ("Excel-download", "assert d.knop_xlsx.maak() is not None, d.download.value"),
    ("pdf-download", "assert d.knop_pdf.maak() is not None, d.download.value"),
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=os.environ.get("REGIOPORTRET_REAL_DATA"))
    ap.add_argument("--gewoon", action="store_true", help="de gewone ipykernel in plaats van de paginakernel")
    args = ap.parse_args()
    if args.data:
        os.environ["REGIOPORTRET_DATA"] = os.path.abspath(args.data)
    subprocess.run([sys.executable, "-m", "regioportret.cli", "data", "cache"], check=True, timeout=3600,
                   stdout=subprocess.DEVNULL)
    km = KernelManager(kernel_name="python3")
    if not args.gewoon:
        from regioportret.views.app import Paginakernels

        km.kernel_spec_manager = Paginakernels()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        p = psutil.Process(km.provisioner.process.pid)
        print(f"data: {args.data or 'demo'}; kernel: {' '.join(p.cmdline()[1:3])}; machine: {os.cpu_count()} cores")
        print(f"{'stap':34s} {'RSS MB':>7s} {'CPU s':>6s} {'wand s':>7s}")
        print(f"{'kernel gestart':34s} {p.memory_info().rss / 2**20:7.0f} {sum(p.cpu_times()[:2]):6.2f}")
        fouten = []
        for naam, code in STAPPEN:
            t0 = time.perf_counter()
            r = kc.execute_interactive(code, timeout=300, output_hook=lambda m: fouten.append(m["content"])
                                       if m["msg_type"] == "error" else None)
            if r["content"]["status"] != "ok":
                print(f"{naam}: fout {fouten[-1]['ename'] if fouten else ''}")
                break
            print(f"{naam:34s} {p.memory_info().rss / 2**20:7.0f} {sum(p.cpu_times()[:2]):6.2f} "
                  f"{time.perf_counter() - t0:7.2f}")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
