"""Many visitors (issue 12): the shipped launcher on a data folder, N browser tabs opening the
dashboard at a fixed interval, each closed once its map is drawn.

Prints p50/p95 time from request to drawn map, errors ('het is druk' pages count apart), the
peak number of kernels and the server's peak RSS (all kernels included), the largest single
kernel, and the kernels still alive 15, 60 and 150 s after the last tab closed.

    python benchmarks/bezoekers.py ../shared/data --n 12 --interval 4

Not a test: it takes minutes and its figures depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import threading
import time

import psutil
from dashboard import (  # benchmarks/dashboard.py: the same harness
    FLAGS,
    PROJECT,
    Server,
    _kaart_klaar,
    start_labels,
)

GRENS = {"p95_s": 5.0}  # issue 12's goal for 12 visitors 4 s apart


class Meter(threading.Thread):
    """Samples the server's kernels and memory every half second."""

    def __init__(self, server: Server):
        super().__init__(daemon=True)
        self.server, self.stop_ = server, False
        self.piek_kernels = self.piek_rss = self.grootste_kernel = 0.0
        self.cpu: dict[int, float] = {}  # kernel pid -> CPU seconds (user + system), last sample
        self.rss: dict[int, float] = {}  # kernel pid -> largest RSS in MB

    def run(self):
        while not self.stop_:
            try:
                kernels = self.server.kernels()
                self.piek_kernels = max(self.piek_kernels, len(kernels))
                self.piek_rss = max(self.piek_rss, self.server.rss_mb())
                for k in kernels:
                    mb = k.memory_info().rss / 2**20
                    self.grootste_kernel = max(self.grootste_kernel, mb)
                    self.rss[k.pid] = max(self.rss.get(k.pid, 0.0), mb)
                    c = k.cpu_times()
                    self.cpu[k.pid] = c.user + c.system
            except psutil.Error:
                pass
            time.sleep(0.5)


async def bezoeker(browser, url: str, labels: int, stippen: int) -> tuple[str, float]:
    context = await browser.new_context(viewport={"width": 1300, "height": 1000})
    page = await context.new_page()
    t0 = time.perf_counter()
    try:
        antwoord = await page.goto(url, timeout=180_000)
        if antwoord is not None and antwoord.status == 503:
            return "druk", time.perf_counter() - t0
        await _kaart_klaar(page, labels, stippen)
        return "ok", time.perf_counter() - t0
    except Exception as e:  # noqa: BLE001 - counted and printed
        print(f"  fout: {type(e).__name__}: {str(e)[:120]}")
        return "fout", time.perf_counter() - t0
    finally:
        await page.close(run_before_unload=True)
        await context.close()


async def main_async(args) -> None:
    from playwright.async_api import async_playwright

    import regioportret as rp

    ctx = rp.open_context(args.data)
    labels, stippen = start_labels(ctx.kaartlagen), len(ctx.scholen)  # also warms the caches the app reads
    app = [sys.executable, "-m", "regioportret.views.app", str(PROJECT / "notebooks")]
    server = Server(app, args.data, PROJECT / "notebooks")
    try:
        await asyncio.sleep(args.rust)  # the preheat pool fills
        rust = len(server.kernels())
        meter = Meter(server)
        meter.start()
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
            taken = []
            for _ in range(args.n):
                taken.append(asyncio.create_task(bezoeker(browser, server.url + "/", labels, stippen)))
                await asyncio.sleep(args.interval)
            uitkomsten = await asyncio.gather(*taken)
            await browser.close()
        gesloten = time.perf_counter()
        na = {}
        for s in (15, 60, 150):
            await asyncio.sleep(max(0.0, s - (time.perf_counter() - gesloten)))
            na[s] = len(server.kernels())
        meter.stop_ = True
        tijden = sorted(t for u, t in uitkomsten if u == "ok")
        p50 = statistics.median(tijden) if tijden else float("nan")
        p95 = tijden[min(len(tijden) - 1, round(0.95 * (len(tijden) - 1)))] if tijden else float("nan")
        print(f"data: {args.data or 'demo'}; {args.n} bezoekers, elke {args.interval} s; machine: {os.cpu_count()} "
              f"cores, {psutil.virtual_memory().total / 2**30:.0f} GiB; kernels in rust: {rust}")
        print(f"tijd tot getekende kaart: p50 {p50:.1f} s, p95 {p95:.1f} s (doel bij 12 om de 4 s: p95 <= "
              f"{GRENS['p95_s']:.0f} s)")
        print(f"fouten: {sum(u == 'fout' for u, _ in uitkomsten)}; 'het is druk': {sum(u == 'druk' for u, _ in uitkomsten)}")
        print(f"piek: {meter.piek_kernels:.0f} kernels, server met kernels {meter.piek_rss:.0f} MB; grootste kernel "
              f"{meter.grootste_kernel:.0f} MB")
        if meter.cpu:
            print(f"per kernel (start, voorverwarmen en pagina): CPU mediaan {statistics.median(meter.cpu.values()):.1f} s, "
                  f"max {max(meter.cpu.values()):.1f} s; RSS mediaan {statistics.median(meter.rss.values()):.0f} MB "
                  f"over {len(meter.cpu)} kernels")
        print(f"kernels na het sluiten van de laatste tab: 15 s {na[15]}, 60 s {na[60]}, 150 s {na[150]} "
              f"(rust: {rust})")
    finally:
        server.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=os.environ.get("REGIOPORTRET_REAL_DATA"))
    ap.add_argument("--n", type=int, default=12, help="bezoekers (standaard 12)")
    ap.add_argument("--interval", type=float, default=4.0, help="seconden tussen twee bezoekers (standaard 4)")
    ap.add_argument("--rust", type=float, default=20.0, help="seconden wachten tot de voorverwarmde kernels klaar zijn")
    asyncio.run(main_async(ap.parse_args()))


if __name__ == "__main__":
    main()
