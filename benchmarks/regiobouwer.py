"""Region builder speed and load (issue 7). Prints; asserts nothing.

- in-process: the time from a change (a vestiging added or removed) until the portrait is
  updated, median and p95 over many changes;
- 10 concurrent Voilà sessions, each opening the builder on its own region and changing it
  (drawing a rectangle, then clicking dots): errors (goal 0), p95 of the update time the page
  reports and of click -> updated page in the browser, and the memory of server + kernels.

    python benchmarks/regiobouwer.py [DATA] [--sessies 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import time

import numpy as np
import psutil
from dashboard import FLAGS, PROJECT, Server  # benchmarks/dashboard.py: the same server harness

from regioportret import store
from regioportret.context import actieve_indeling, open_context
from regioportret.views.bouwer import Regiobouwer


def p95(x: list[float]) -> float:
    return float(np.percentile(x, 95)) if x else float("nan")


def in_proces(data) -> list[float]:
    b = Regiobouwer(open_context(data))
    codes = list(b.punten)
    rng = np.random.default_rng(1)
    tijden = []
    for c in rng.choice(codes, size=min(60, len(codes)), replace=False):
        b.wissel(str(c))
        tijden.append(b.laatste_update_s)
    return tijden


async def sessie(browser, url: str, nr: int, server_ms: list, klik_ms: list) -> int:
    page = await browser.new_page(viewport={"width": 1300, "height": 1000})
    try:
        await page.goto(f"{url}/voila/render/regiobouwer.ipynb?regio={nr}", timeout=300_000)
        await page.wait_for_selector(".leaflet-draw-draw-rectangle", timeout=300_000)
        await page.wait_for_selector(".rp-kaart", timeout=120_000)  # the portrait of the starting region

        async def wacht_op_nieuw(vorige: str):
            await page.wait_for_function(
                "v => { const e = document.querySelector('.rp-bijgewerkt'); return e && e.outerHTML !== v; }",
                arg=vorige, timeout=60_000)
            server_ms.append(float(await page.get_attribute(".rp-bijgewerkt", "data-ms")))

        vak = await page.locator(".leaflet-container").first.bounding_box()
        vorige = await page.eval_on_selector(".rp-bijgewerkt", "e => e.outerHTML")
        t0 = time.perf_counter()
        await page.locator(".leaflet-draw-draw-rectangle").click()
        await page.mouse.move(vak["x"] + vak["width"] * 0.45, vak["y"] + vak["height"] * 0.45)
        await page.mouse.down()
        await page.mouse.move(vak["x"] + vak["width"] * 0.6, vak["y"] + vak["height"] * 0.6, steps=5)
        await page.mouse.up()
        await wacht_op_nieuw(vorige)
        klik_ms.append(1000 * (time.perf_counter() - t0))
        for i in range(3):
            stippen = [p for p in await page.query_selector_all("path.leaflet-interactive")
                       if "a" in (await p.get_attribute("d") or "")]
            vorige = await page.eval_on_selector(".rp-bijgewerkt", "e => e.outerHTML")
            t0 = time.perf_counter()
            await stippen[(7 * i + nr) % len(stippen)].click(force=True)
            await wacht_op_nieuw(vorige)
            klik_ms.append(1000 * (time.perf_counter() - t0))
        if "Traceback" in await page.inner_text("body"):
            raise RuntimeError("traceback on the page")
        return 0
    except Exception as e:  # counted and printed
        print(f"  sessie {nr} fout: {type(e).__name__}: {str(e)[:140]}")
        return 1
    finally:
        await page.close()


async def belasting(data, sessies: int) -> None:
    from playwright.async_api import async_playwright

    ds = store.laad(data)
    regios = [int(n) for n in actieve_indeling(ds).regios["regionummer"]][:sessies]
    regios = (regios * sessies)[:sessies]
    server = Server([sys.executable, "-m", "regioportret.views.app", str(PROJECT / "notebooks")], data,
                    PROJECT / "notebooks")
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
            server_ms, klik_ms = [], []
            t0 = time.perf_counter()
            fouten = await asyncio.gather(*[sessie(browser, server.url, nr, server_ms, klik_ms) for nr in regios])
            duur = time.perf_counter() - t0
            rss = server.rss_mb()
            await browser.close()
    finally:
        server.stop()
    print(f"{sessies} concurrent sessions (draw + 3 clicks each): {sum(fouten)} errors (goal 0), {duur:.0f} s")
    if not server_ms:
        return
    print(f"  update time reported by the page: median {statistics.median(server_ms):.0f} ms, "
          f"p95 {p95(server_ms):.0f} ms (goal <= 300 ms); n={len(server_ms)}")
    print(f"  click -> page updated in the browser: median {statistics.median(klik_ms):.0f} ms, "
          f"p95 {p95(klik_ms):.0f} ms")
    print(f"  server + kernels RSS: {rss:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", default=os.environ.get("REGIOPORTRET_REAL_DATA"))
    ap.add_argument("--sessies", type=int, default=10)
    args = ap.parse_args()
    t = in_proces(args.data)
    print(f"data: {args.data or 'demo'}; machine: {os.cpu_count()} cores, "
          f"{psutil.virtual_memory().total / 2**30:.0f} GiB")
    print(f"in-process update per change: median {1000 * statistics.median(t):.0f} ms, p95 {1000 * p95(t):.0f} ms "
          f"(n={len(t)}; goal <= 300 ms)")
    asyncio.run(belasting(args.data, args.sessies))


if __name__ == "__main__":
    main()
