"""The researchers' route (issue 27, point 5): `voila notebooks/regioportret.ipynb`, Voilà's own
command with its own settings, a cold kernel for every page (no preheat) and a filled cache.
Prints the time from navigation to the drawn map per page load and their median; asserts nothing.

Usage: python benchmarks/onderzoeker.py [DATA] [--herhaal N]
(DATA: default $REGIOPORTRET_REAL_DATA, else the demo data)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import time

from dashboard import FLAGS, PROJECT, Server, pagina_tot_kaart, start_labels


async def main_async(args) -> None:
    from playwright.async_api import async_playwright

    import regioportret as rp

    data = args.data or os.environ.get("REGIOPORTRET_REAL_DATA")
    ctx = rp.open_context(data)
    labels, stippen = start_labels(ctx.kaartlagen), len(ctx.scholen)  # also fills the cache the page reads
    server = Server([sys.executable, "-m", "voila", "notebooks/regioportret.ipynb", "--no-browser",
                     "--Voila.ip=127.0.0.1"], data, PROJECT)
    tijden = []
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
            for _ in range(args.herhaal):
                tijden.append(await pagina_tot_kaart(browser, server.url + "/", labels, stippen))
                time.sleep(args.rust)  # the closed page's kernel goes before the next one starts
            await browser.close()
    finally:
        server.stop()
    print(f"data: {data or 'demo'}; voila notebooks/regioportret.ipynb, koude kernel per pagina; "
          f"machine: {os.cpu_count()} cores")
    print("tot getekende kaart: " + ", ".join(f"{t:.2f}" for t in tijden) + " s")
    print(f"mediaan {statistics.median(tijden):.2f} s (doel <= 3 s)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?")
    ap.add_argument("--herhaal", type=int, default=5)
    ap.add_argument("--rust", type=float, default=5.0, help="seconden tussen twee paginabezoeken")
    asyncio.run(main_async(ap.parse_args()))


if __name__ == "__main__":
    main()
