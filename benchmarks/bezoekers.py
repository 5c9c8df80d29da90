"""Cost per visitor (issues 12 and 27): the shipped launcher on a data folder, N browser tabs
opening the dashboard at a fixed interval; each reader stays on the page (default 30 s), then
closes the tab, half of them with unload (the page's beacon ends its kernel) and half as a lost
connection (no unload, the connection stays open but silent, as when a laptop goes to sleep).

Each visitor reaches the server through its own small TCP relay in this script: a lost
connection is the relay going silent while both of its sockets stay open, so the server sees
neither a close nor an answer.

Prints per run: p50/p95/max time from request to drawn map, errors ('het is druk' apart), the
peak number of kernels, the CPU seconds per visitor of the server with its kernels (the whole
process tree, children that ended and were reaped included: kernel starts, the preheat
refills, the server's own work) and of the browser (all of chromium's processes), the browser's
CPU and DOM size up to the first drawn map of the first visitor, RSS, and the kernels alive 15,
60 and 150 s after the last tab. For comparison it measures the floor the same way: the browser
CPU of an empty Voilà page (one HTML widget, plain `voila` on a notebook of one cell) up to
that widget, which is what Voilà's own scripts cost before any page of this project.

    python benchmarks/bezoekers.py ../shared/data --n 12 --interval 4 --blijf 30

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

GRENS = {"p95_s": 3.0, "cpu_server_s": 1.5, "cpu_browser_s": 1.5, "dom": 1500}  # issue 27's goals
DOM = "() => document.getElementsByTagName('*').length"


def cpu_boom(proc: psutil.Process) -> float:
    """CPU seconds (user + system) of a process and all its descendants, those that ended and
    were reaped by their parent included (psutil's children_user/children_system)."""
    totaal = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            c = p.cpu_times()
            totaal += c.user + c.system + c.children_user + c.children_system
        except psutil.Error:
            continue
    return totaal


def cpu_eigen(proc: psutil.Process) -> float:
    """CPU seconds of the process itself (the server without its kernels)."""
    c = proc.cpu_times()
    return c.user + c.system


def chromium_hoofd() -> psutil.Process | None:
    """The browser's main process: the chromium child of Playwright's driver (of this script)."""
    for p in psutil.Process().children(recursive=True):
        try:
            if "chrom" in p.name() and "chrom" not in p.parent().name():
                return p
        except psutil.Error:
            continue
    return None


class Meter(threading.Thread):
    """Samples the server's kernels and memory every half second."""

    def __init__(self, server: Server):
        super().__init__(daemon=True)
        self.server, self.stop_ = server, False
        self.piek_kernels = self.piek_rss = self.grootste_kernel = 0.0

    def run(self):
        while not self.stop_:
            try:
                kernels = self.server.kernels()
                self.piek_kernels = max(self.piek_kernels, len(kernels))
                self.piek_rss = max(self.piek_rss, self.server.rss_mb())
                for k in kernels:
                    self.grootste_kernel = max(self.grootste_kernel, k.memory_info().rss / 2**20)
            except psutil.Error:
                pass
            time.sleep(0.5)


class Relais:
    """A TCP relay in front of the server for one visitor. `stil()` makes it a lost connection:
    nothing passes any more, and no socket is closed (the server must notice by itself)."""

    def __init__(self, doel_poort: int):
        self.doel_poort, self.is_stil = doel_poort, False
        self.open: list[asyncio.StreamWriter] = []

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._verbinding, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def _verbinding(self, lezer, schrijver):
        try:
            d_lezer, d_schrijver = await asyncio.open_connection("127.0.0.1", self.doel_poort)
        except OSError:
            schrijver.close()
            return
        self.open += [schrijver, d_schrijver]
        try:
            await asyncio.gather(self._pomp(lezer, d_schrijver), self._pomp(d_lezer, schrijver))
        except asyncio.CancelledError:  # the run ends with this connection still open (silent)
            pass

    async def _pomp(self, lezer, schrijver):
        try:
            while blok := await lezer.read(65536):
                if self.is_stil:
                    return  # silent: stop reading, keep the other side open
                schrijver.write(blok)
                await schrijver.drain()
        except (ConnectionError, asyncio.CancelledError):
            return
        if not self.is_stil:
            schrijver.close()

    def stil(self):
        self.is_stil = True

    def sluit(self):
        self.server.close()
        for s in self.open:
            s.close()


async def bezoeker(browser, server_poort: int, labels: int, stippen: int, blijf: float, verlies: bool,
                   eerste: bool) -> dict:
    relais = Relais(server_poort)
    url = await relais.start()
    context = await browser.new_context(viewport={"width": 1300, "height": 1000})
    page = await context.new_page()
    uit = {"uitkomst": "fout", "s": float("nan"), "relais": relais, "verlies": verlies}
    hoofd = chromium_hoofd() if eerste else None
    cpu0 = cpu_boom(hoofd) if hoofd else 0.0
    t0 = time.perf_counter()
    try:
        antwoord = await page.goto(url + "/", timeout=180_000)
        if antwoord is not None and antwoord.status == 503:
            uit.update(uitkomst="druk", s=time.perf_counter() - t0)
            return uit
        await _kaart_klaar(page, labels, stippen)
        uit.update(uitkomst="ok", s=time.perf_counter() - t0)
        if eerste:
            uit.update(browser_cpu_kaart=cpu_boom(hoofd) - cpu0 if hoofd else float("nan"), dom=await page.evaluate(DOM))
        await asyncio.sleep(blijf)
        return uit
    except Exception as e:  # noqa: BLE001 - counted and printed
        print(f"  fout: {type(e).__name__}: {str(e)[:120]}")
        uit["s"] = time.perf_counter() - t0
        return uit
    finally:
        if verlies:
            relais.stil()  # the connection goes silent first: no unload reaches the server
            await page.close()
        else:
            await page.close(run_before_unload=True)
        await context.close()


def kwantiel(tijden: list[float], q: float) -> float:
    return tijden[min(len(tijden) - 1, round(q * (len(tijden) - 1)))] if tijden else float("nan")


async def main_async(args) -> None:
    from playwright.async_api import async_playwright

    import regioportret as rp

    ctx = rp.open_context(args.data)
    labels, stippen = start_labels(ctx.kaartlagen), len(ctx.scholen)  # also warms the caches the app reads
    app = [sys.executable, "-m", "regioportret.views.app", str(PROJECT / "notebooks")]
    if args.zonder_vork:  # each kernel a new Python, as before the kernels were forked
        app.append("--Paginakernels.vorken=False")
    server = Server(app, args.data, PROJECT / "notebooks")
    serverproces = psutil.Process(server.proc.pid)
    relais = []
    try:
        await asyncio.sleep(args.rust)  # the preheat pool fills
        rust = len(server.kernels())
        meter = Meter(server)
        meter.start()
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
            hoofd = chromium_hoofd()
            cpu_server0, cpu_browser0 = cpu_boom(serverproces), cpu_boom(hoofd) if hoofd else 0.0
            cpu_eigen0 = cpu_eigen(serverproces)
            taken = []
            for i in range(args.n):
                verlies = args.sluiten == "verlies" or (args.sluiten == "afwisselend" and i % 2 == 1)
                taken.append(asyncio.create_task(
                    bezoeker(browser, server.poort, labels, stippen, args.blijf, verlies, eerste=i == 0)))
                await asyncio.sleep(args.interval)
            uitkomsten = await asyncio.gather(*taken)
            relais = [u["relais"] for u in uitkomsten]
            cpu_browser = (cpu_boom(hoofd) - cpu_browser0) if hoofd else float("nan")
            await browser.close()
        gesloten = time.perf_counter()
        na = {}
        for s in (15, 60, 150):
            await asyncio.sleep(max(0.0, s - (time.perf_counter() - gesloten)))
            na[s] = len(server.kernels())
            if s == 60:  # by now every kernel this run caused has started or ended
                cpu_server = cpu_boom(serverproces) - cpu_server0
                cpu_zelf = cpu_eigen(serverproces) - cpu_eigen0
        meter.stop_ = True
        tijden = sorted(u["s"] for u in uitkomsten if u["uitkomst"] == "ok")
        eerste = uitkomsten[0]
        print(f"data: {args.data or 'demo'}; {args.n} bezoekers, elke {args.interval:g} s, elk {args.blijf:g} s op "
              f"de pagina; sluiten: {args.sluiten}; machine: {os.cpu_count()} cores, "
              f"{psutil.virtual_memory().total / 2**30:.0f} GiB; kernels in rust: {rust}")
        print(f"tijd tot getekende kaart: p50 {statistics.median(tijden) if tijden else float('nan'):.1f} s, "
              f"p95 {kwantiel(tijden, 0.95):.1f} s, max {max(tijden, default=float('nan')):.1f} s "
              f"(doel: p95 <= {GRENS['p95_s']:g} s bij 12 om de 4 s)")
        print(f"fouten: {sum(u['uitkomst'] == 'fout' for u in uitkomsten)}; 'het is druk': "
              f"{sum(u['uitkomst'] == 'druk' for u in uitkomsten)}")
        print(f"CPU per bezoeker: server met kernels {cpu_server / args.n:.2f} s (doel <= {GRENS['cpu_server_s']:g}; "
              f"de server zelf {cpu_zelf / args.n:.2f} s, de kernels {(cpu_server - cpu_zelf) / args.n:.2f} s), "
              f"browser {cpu_browser / args.n:.2f} s over het hele bezoek")
        if "dom" in eerste:
            print(f"eerste bezoeker tot getekende kaart: browser-CPU {eerste['browser_cpu_kaart']:.2f} s "
                  f"(doel <= {GRENS['cpu_browser_s']:g}), DOM {eerste['dom']:,} elementen (doel < {GRENS['dom']:,})"
                  .replace(",", "."))
        print(f"piek: {meter.piek_kernels:.0f} kernels, server met kernels {meter.piek_rss:.0f} MB; grootste kernel "
              f"{meter.grootste_kernel:.0f} MB")
        print(f"kernels na het sluiten van de laatste tab: 15 s {na[15]}, 60 s {na[60]}, 150 s {na[150]} "
              f"(rust: {rust})")
        print(f"ter vergelijking, een lege Voilà-pagina (een HTML-widget) tot getekend: browser-CPU {await vloer():.2f} s")
    finally:
        for r in relais:
            r.sluit()
        server.stop()


VLOER_NOTEBOOK = "import ipywidgets as w\nw.HTML('<p id=\"rp-vloer\">klaar</p>')"


async def vloer() -> float:
    """Browser CPU seconds (all of chromium's processes) of an empty Voilà page, from the request
    to its one widget drawn: a fresh browser, as for the first visitor."""
    import subprocess
    import tempfile
    import urllib.request
    from pathlib import Path

    import nbformat
    from dashboard import _poort
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory() as map_:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(VLOER_NOTEBOOK)])
        nbformat.write(nb, Path(map_) / "vloer.ipynb")
        poort = _poort()
        voila = subprocess.Popen([sys.executable, "-m", "voila", "vloer.ipynb", f"--port={poort}", "--no-browser"],
                                 cwd=map_, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(150):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{poort}/", timeout=60).read()
                    break
                except OSError:
                    time.sleep(0.2)
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path=shutil.which("chromium"), args=FLAGS)
                page = await browser.new_page(viewport={"width": 1300, "height": 1000})
                hoofd = chromium_hoofd()
                cpu0 = cpu_boom(hoofd)
                await page.goto(f"http://127.0.0.1:{poort}/", timeout=180_000)
                await page.wait_for_selector("#rp-vloer", timeout=180_000)
                cpu = cpu_boom(hoofd) - cpu0
                await browser.close()
            return cpu
        finally:
            voila.terminate()
            try:
                voila.wait(15)
            except subprocess.TimeoutExpired:
                voila.kill()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=os.environ.get("REGIOPORTRET_REAL_DATA"))
    ap.add_argument("--n", type=int, default=12, help="bezoekers (standaard 12)")
    ap.add_argument("--interval", type=float, default=4.0, help="seconden tussen twee bezoekers (standaard 4)")
    ap.add_argument("--blijf", type=float, default=30.0, help="seconden dat een lezer op de pagina blijft (standaard 30)")
    ap.add_argument("--sluiten", choices=("afwisselend", "unload", "verlies"), default="afwisselend",
                    help="hoe een tab sluit: met unload, als verloren verbinding, of om en om (standaard)")
    ap.add_argument("--rust", type=float, default=20.0, help="seconden wachten tot de voorverwarmde kernels klaar zijn")
    ap.add_argument("--zonder-vork", action="store_true",
                    help="elke kernel als eigen Python-proces (ter vergelijking; standaard gevorkt uit de voorraad)")
    asyncio.run(main_async(ap.parse_args()))


if __name__ == "__main__":
    main()
