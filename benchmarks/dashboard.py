"""Dashboard speed and memory (issue 3). Prints medians; asserts nothing.

Measures, in headless Debian chromium against servers on 127.0.0.1:
- page -> map: from navigation until every region label and every school dot is drawn,
  with preheated kernels (the shipped config) and with cold kernels (preheat off);
- the same for a straightforward reference notebook (one CircleMarker widget per vestiging);
- tick -> panels: from a click on a region checkbox until the panel shows that region;
- kernel RSS of one dashboard page; 10 concurrent sessions ticking regions: errors, total RSS.

Usage: python benchmarks/dashboard.py [DATA] [--herhaal N]
(DATA: default $REGIOPORTRET_REAL_DATA, else the demo data)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
import psutil

from regioportret.views.app import is_kernel

PROJECT = Path(__file__).resolve().parents[1]
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

REFERENTIE = '''import ipywidgets as w
from ipyleaflet import CircleMarker, Map
import regioportret as rp
ctx = rp.open_context(DATA)
ds, ind = ctx.ds, ctx.indeling
loc = ds.locaties.merge(ctx.basis.tabel[["vestigingscode"]].drop_duplicates(), on="vestigingscode")
m = Map(center=(52.15, 5.3), zoom=7)
m.clear_layers()
for r in loc.itertuples():
    m.add(CircleMarker(location=(r.lat, r.lon), radius=4, weight=1))
vinkjes = [w.Checkbox(description=f"{n} - {a}") for n, a in zip(ind.regios.regionummer, ind.regios.regionaam)]
w.HBox([m, w.VBox(vinkjes)])'''


def _poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, args: list[str], data: str | None, cwd: Path):
        self.poort = _poort()
        env = dict(os.environ)
        if data:
            env["REGIOPORTRET_DATA"] = data
        self.proc = subprocess.Popen([*args, f"--port={self.poort}"], cwd=cwd, env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.poort}"
        for _ in range(300):
            try:
                urllib.request.urlopen(self.url + "/voila/api/shutdown", timeout=1)
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.2)

    def rss_mb(self) -> float:
        p = psutil.Process(self.proc.pid)
        return sum(x.memory_info().rss for x in [p, *p.children(recursive=True)]) / 2**20

    def kernels(self) -> list[psutil.Process]:
        uit = []
        for c in psutil.Process(self.proc.pid).children(recursive=True):
            try:  # a kernel that has just shut down is a zombie for a moment: not running
                if c.status() != psutil.STATUS_ZOMBIE and is_kernel(c.cmdline()):
                    uit.append(c)
            except psutil.Error:
                continue
        return uit

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def start_labels(lagen) -> int:
    """The region labels drawn at the map's first zoom (labels that would overlap wait for a closer zoom)."""
    from regioportret.views.kaart import beeld

    return len(lagen.labels_per_zoom.get(beeld(lagen.totaal)[1], lagen.labels))


# The map is drawn when its region numbers are there and its dots' canvas says it holds them all.
KAART_KLAAR = """([l, s]) => document.querySelectorAll('.rp-regiolabel').length >= l &&
    [...document.querySelectorAll('canvas.rp-stippen')].some(c => +c.dataset.rpStippen >= s)"""


async def _kaart_klaar(page, labels: int, stippen: int, timeout=180_000) -> None:
    await page.wait_for_function(KAART_KLAAR, arg=[labels, stippen], timeout=timeout)


async def pagina_tot_kaart(browser, url: str, labels: int, stippen: int) -> float:
    page = await browser.new_page(viewport={"width": 1300, "height": 1000})
    t0 = time.perf_counter()
    await page.goto(url, timeout=180_000)
    await _kaart_klaar(page, labels, stippen)
    dt = time.perf_counter() - t0
    await page.close()
    return dt


async def referentie_tot_kaart(browser, url: str, stippen: int) -> float:
    page = await browser.new_page(viewport={"width": 1300, "height": 1000})
    t0 = time.perf_counter()
    await page.goto(url, timeout=300_000)
    await page.wait_for_function(
        "n => [...document.querySelectorAll('path.leaflet-interactive')].length >= n", arg=stippen, timeout=300_000)
    dt = time.perf_counter() - t0
    await page.close()
    return dt


async def vink_tijden(browser, url: str, regios: list[tuple[int, str]], labels: int, stippen: int,
                     rust: float = 0) -> list[float]:
    """Click regions one by one; `rust`: seconds to wait first (steady state: the preheat pool
    refills after a page takes its kernel, which loads both cores for a few seconds)."""
    page = await browser.new_page(viewport={"width": 1300, "height": 1000})
    await page.goto(url, timeout=180_000)
    await _kaart_klaar(page, labels, stippen)
    await asyncio.sleep(rust)
    tijden = []
    for nr, naam in regios:
        t0 = time.perf_counter()
        await page.get_by_text(f"{nr} – {naam}", exact=True).click()
        await page.wait_for_function("t => [...document.querySelectorAll('h3')].some(h => h.innerText.startsWith(t))",
                                     arg=f"Regio {nr} – ", timeout=60_000)
        tijden.append(time.perf_counter() - t0)
        await page.get_by_text(f"{nr} – {naam}", exact=True).click()  # untick again
        await page.wait_for_function("() => [...document.querySelectorAll('h3')].some(h => h.innerText.startsWith('Alle'))",
                                     timeout=60_000)
    await page.close()
    return tijden


async def sessie(browser, url, regios, labels, stippen) -> int:
    try:
        await vink_tijden(browser, url, regios, labels, stippen)
        return 0
    except Exception as e:  # counted, printed below
        print(f"  sessie fout: {type(e).__name__}: {str(e)[:120]}")
        return 1


async def main_async(args) -> None:
    from playwright.async_api import async_playwright

    import regioportret as rp
    data = args.data or os.environ.get("REGIOPORTRET_REAL_DATA")
    ctx = rp.open_context(data)
    ind = ctx.indeling
    lagen = ctx.kaartlagen  # warms the disk caches the app uses too
    _ = ctx.prognose
    labels = start_labels(lagen)
    stippen = len(ctx.scholen)
    regios = list(zip(ind.regios["regionummer"].astype(int), ind.regios["regionaam"], strict=True))[:6]
    print(f"data: {data or 'demo'}; {labels} regions, {stippen} school dots; machine: {os.cpu_count()} cores, "
          f"{psutil.virtual_memory().total / 2**30:.0f} GiB")

    chromium = shutil.which("chromium")
    app = [sys.executable, "-m", "regioportret.views.app", str(PROJECT / "notebooks")]
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium, args=FLAGS)

        warm = Server(app, data, PROJECT / "notebooks")
        time.sleep(8)  # let the pool preheat
        kaart_warm = []
        for _ in range(args.herhaal):
            kaart_warm.append(await pagina_tot_kaart(browser, warm.url + "/", labels, stippen))
            time.sleep(8)  # the pool refills
        vinken = await vink_tijden(browser, warm.url + "/", regios, labels, stippen, rust=8)
        page = await browser.new_page()
        await page.goto(warm.url + "/", timeout=180_000)
        await _kaart_klaar(page, labels, stippen)
        rss_kernel = max(k.memory_info().rss for k in warm.kernels()) / 2**20
        await page.close()
        time.sleep(8)
        # 10 concurrent sessions
        t0 = time.perf_counter()
        fouten = await asyncio.gather(*[sessie(browser, warm.url + "/", regios[:3], labels, stippen) for _ in range(10)])
        duur = time.perf_counter() - t0
        rss_totaal = warm.rss_mb()
        warm.stop()

        koud = Server([*app, "--VoilaConfiguration.preheat_kernel=False"], data, PROJECT / "notebooks")
        kaart_koud = [await pagina_tot_kaart(browser, koud.url + "/", labels, stippen) for _ in range(args.herhaal)]
        koud.stop()

        with tempfile.TemporaryDirectory() as tmp:
            nb = nbformat.v4.new_notebook()
            nb.cells = [nbformat.v4.new_code_cell(f"DATA = {data!r}\n" + REFERENTIE)]
            nbformat.write(nb, Path(tmp) / "referentie.ipynb")
            ref = Server([sys.executable, "-m", "voila", "--no-browser", "--Voila.ip=127.0.0.1",
                          str(Path(tmp) / "referentie.ipynb")], data, Path(tmp))
            kaart_ref = [await referentie_tot_kaart(browser, ref.url + "/", stippen) for _ in range(args.herhaal)]
            ref.stop()
        await browser.close()

    med = statistics.median
    print(f"page -> map, preheated kernels (shipped config), median of {args.herhaal}: {med(kaart_warm):.2f} s (goal <= 3 s)")
    print(f"page -> map, cold kernel (preheat off), median of {args.herhaal}:         {med(kaart_koud):.2f} s")
    print(f"reference, one CircleMarker widget per vestiging, median of {args.herhaal}: {med(kaart_ref):.2f} s")
    print(f"  reference / ours: {med(kaart_ref) / med(kaart_warm):.1f}x (preheated), "
          f"{med(kaart_ref) / med(kaart_koud):.1f}x (cold)  (goal >= 3x)")
    print(f"tick -> panels, median of {len(vinken)}: {1000 * med(vinken):.0f} ms (goal <= 300 ms)")
    print(f"kernel RSS of one dashboard page: {rss_kernel:.0f} MB (goal <= 300 MB)")
    print(f"10 concurrent sessions, 3 ticks each: {sum(fouten)} errors, {duur:.1f} s, "
          f"server + kernels RSS {rss_totaal:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?")
    ap.add_argument("--herhaal", type=int, default=5)
    asyncio.run(main_async(ap.parse_args()))


if __name__ == "__main__":
    main()
