"""Serve the app with Voilà, hardened: `/` opens the portrait, only the app's notebooks are
rendered, and there is no file listing or contents API.

Run: python -m regioportret.views.app [voila options]   (make app does this)
"""

from __future__ import annotations

import inspect
import re
import secrets
import sys
import time
import uuid
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_core.utils import ensure_async
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import url_path_join
from tornado import web
from tornado.web import RedirectHandler
from traitlets import Bool, Integer, Unicode
from voila.app import Voila

from ..store import pakketmap
from . import kernelvork

APP_NOTEBOOKS = ("regioportret.ipynb", "aanvraag.ipynb", "prognose.ipynb", "regiobouwer.ipynb")
VOORVERWARMD = ("regioportret.ipynb", "aanvraag.ipynb")  # the other pages are opened rarely: no idle kernel
START = "regioportret.ipynb"


DRUK = """<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Het is druk</title>
<meta http-equiv="refresh" content="30"></head><body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>Het is druk</h1><p>Er kijken nu veel mensen naar de regioportretten. Deze pagina probeert het over een halve
minuut vanzelf opnieuw.</p></body></html>"""


class RegioportretVoila(Voila):
    """Voilà serving notebooks/ with a fixed set of pages."""

    proces_naam = Unicode("", config=True, help=(
        "Behind a proxy with several processes (docs/deploy.md): this process's name, set as the "
        "cookie regioportret_proces so the proxy sends the page's websocket to the process that holds "
        "its kernel."))
    max_kernels = Integer(40, config=True, help=(
        "At most this many kernels at once (the preheated pool included); a visitor beyond it gets a "
        "Dutch 'het is druk' page that retries. A dashboard kernel takes about 130 MB."))

    def init_handlers(self):
        basis = self.server_url
        weg = (url_path_join(basis, "/voila/tree"), url_path_join(basis, "/voila/api/contents"))
        render = url_path_join(basis, r"/voila/render/(.*)")
        # a kernel's channel, its API and Voilà's shutdown: for the page that owns the kernel only
        van_een_kernel = (url_path_join(basis, "/api/kernels/"), url_path_join(basis, "/voila/api/shutdown/"))
        toegestaan = "|".join(re.escape(n) for n in APP_NOTEBOOKS)
        handlers = [(basis, RedirectHandler, {"url": url_path_join(basis, "/voila/render/", START)}),
                    (url_path_join(basis, r"/regioportret/verbinding/([-0-9a-f]{36})"), Verbinding)]
        for h in super().init_handlers():
            patroon = h[0]
            # The read-only app has no accounts: no login or logout page (the logout handler
            # answered 500 without a login); such a route is a plain 404 like any unknown one.
            if patroon == basis or patroon.startswith(weg) or patroon.rstrip("/").endswith(("/login", "/logout")):
                continue
            if patroon == render:
                h = (url_path_join(basis, rf"/voila/render/({toegestaan})"),
                     pagina(h[1], self.max_kernels, self.proces_naam), *h[2:])
            elif patroon.startswith(van_een_kernel):
                h = (patroon, alleen_de_eigenaar(h[1]), *h[2:])
            handlers.append(h)
        return handlers


class Vol(Exception):
    """No room for another kernel: the visitor gets 'het is druk'."""


TOELATING_S = 30.0  # an admitted visitor's kernel starts within this; an unused admission lapses
# A page's kernel ends this long after its page's last connection closed with no new one (a lost
# connection: the server's websocket pings, voila/voila.json, find it within about 20 s). A short
# network blip reconnects well within it; a closed tab's beacon ends its kernel at once.
ZONDER_PAGINA_S = 15.0
CONTROLE_S = 5.0


class Kernelbeheer(AsyncMappingKernelManager):
    """The app's kernels (voila/voila.json names this class).

    - `max_kernels` (RegioportretVoila) holds under parallel requests: a visitor is admitted
      (`laat_toe`) and counted before the kernel that visit causes exists (its own, or the
      refill of the preheated pool it took), and each start takes one admission; a start with
      no admission beyond the limit is refused. Checking only the running kernels let two
      parallel visitors pass at 39 of 40, and with the pool's refill 41 kernels ran.
    - `eigenaren`: which visitor (the cookie `regioportret_bezoeker`) owns each kernel; only
      that visitor's page may open its channel or shut it down.
    - A kernel whose page was connected and lost every connection ends after ZONDER_PAGINA_S
      (`_zonder_pagina`): the idle cull waits a minute from the loss, and a silent connection
      keeps a kernel "connected" until the websocket's ping times out."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.eigenaren: dict[str, str] = {}
        self._startend: set[str] = set()
        self._toelatingen: list[float] = []  # deadlines of admitted visits whose kernel has not started
        self._verbonden: set[str] = set()  # kernels a page has connected to
        self._weg_sinds: dict[str, float] = {}  # kernel -> when its page's last connection closed
        self._controle = None

    def _start_controle(self) -> None:
        if self._controle is None:
            from tornado.ioloop import PeriodicCallback

            self._controle = PeriodicCallback(self._zonder_pagina, 1000 * CONTROLE_S)
            self._controle.start()

    async def _zonder_pagina(self) -> None:
        """End the kernels whose page has had no connection for ZONDER_PAGINA_S."""
        nu = time.monotonic()
        for kernel_id in list(self.list_kernel_ids()):
            if self._kernel_connections.get(kernel_id, 0) > 0:
                self._verbonden.add(kernel_id)
                self._weg_sinds.pop(kernel_id, None)
            elif kernel_id in self._verbonden and nu - self._weg_sinds.setdefault(kernel_id, nu) > ZONDER_PAGINA_S:
                self.log.info("kernel %s: de pagina is al %.0f s niet verbonden; gestopt", kernel_id,
                              nu - self._weg_sinds[kernel_id])
                self._verbonden.discard(kernel_id)
                try:
                    await self.shutdown_kernel(kernel_id)
                except Exception as e:  # noqa: BLE001 - already gone; the next round tries the rest
                    self.log.warning("kernel %s stoppen mislukt: %s", kernel_id, e)

    def _maximum(self) -> int:
        return int(getattr(self.parent, "max_kernels", 0) or 0)

    def _geldige_toelatingen(self) -> list[float]:
        nu = time.monotonic()
        self._toelatingen = [t for t in self._toelatingen if t > nu]
        return self._toelatingen

    def laat_toe(self) -> bool:
        """Admit one visitor if a kernel is free for them, counting those admitted before."""
        if self._maximum() and kernels_in_gebruik(self) + len(self._geldige_toelatingen()) >= self._maximum():
            return False
        self._toelatingen.append(time.monotonic() + TOELATING_S)
        return True

    async def start_kernel(self, *, kernel_id=None, **kwargs):
        if kernel_id is not None and kernel_id in self:  # an existing kernel: nothing starts
            return await super().start_kernel(kernel_id=kernel_id, **kwargs)
        if self._geldige_toelatingen():
            self._toelatingen.pop(0)  # this start is an admitted visit's kernel
        elif self._maximum() and kernels_in_gebruik(self) >= self._maximum():
            raise Vol(f"al {self._maximum()} kernels")
        kernel_id = kernel_id or str(uuid.uuid4())
        self._start_controle()
        self._startend.add(kernel_id)  # counted from now, not only once jupyter_client lists it
        try:
            return await super().start_kernel(kernel_id=kernel_id, **kwargs)
        finally:
            self._startend.discard(kernel_id)

    def remove_kernel(self, kernel_id):
        self.eigenaren.pop(kernel_id, None)
        self._verbonden.discard(kernel_id)
        self._weg_sinds.pop(kernel_id, None)
        return super().remove_kernel(kernel_id)

    def is_eigenaar(self, kernel_id: str, bezoeker: str | None) -> bool:
        return bool(bezoeker) and self.eigenaren.get(kernel_id) == bezoeker and kernel_id in self


BEZOEKER = "regioportret_bezoeker"  # a random id per browser, set with the page


def bezoeker_van(handler) -> str | None:
    waarde = handler.get_cookie(BEZOEKER)
    return waarde if waarde and re.fullmatch(r"[0-9a-f]{32}", waarde) else None


def alleen_de_eigenaar(handler: type) -> type:
    """A kernel's handler (channel, API, shutdown) that answers 403 unless the request carries the
    cookie of the visitor whose page owns the kernel: a kernel's id alone is not enough."""

    class AlleenDeEigenaar(handler):
        async def prepare(self, *args, **kwargs):
            klaar = super().prepare(*args, **kwargs)
            if inspect.isawaitable(klaar):
                await klaar
            if self._finished:
                return
            km = self.settings["kernel_manager"]
            kernel_id = self.path_kwargs.get("kernel_id") or (self.path_args or [""])[0]
            if not (hasattr(km, "is_eigenaar") and km.is_eigenaar(kernel_id, bezoeker_van(self))):
                self.log.warning("verzoek voor kernel %s zonder de cookie van zijn pagina: geweigerd", kernel_id)
                raise web.HTTPError(403)

    AlleenDeEigenaar.__name__ = f"{handler.__name__}AlleenDeEigenaar"
    return AlleenDeEigenaar


class Verbinding(web.RequestHandler):
    """GET /regioportret/verbinding/<kernel>: 204 while the page's kernel runs, 404 when it does
    not (a server restart, a culled kernel, another visitor's kernel). The page asks every few
    seconds and says in Dutch when its connection is gone (views.verbinding)."""

    def get(self, kernel_id):
        km = self.settings["kernel_manager"]
        self.set_header("Cache-Control", "no-store")
        self.set_status(204 if hasattr(km, "is_eigenaar") and km.is_eigenaar(kernel_id, bezoeker_van(self)) else 404)
        self.finish()


class Paginakernels(KernelSpecManager):
    """The served pages' kernels: views.paginakernel in place of ipykernel_launcher (no pyarrow,
    no debugger: about 45 MB less per visitor), forked from the server's voorraad process that
    has already imported it (views.kernelvork: about 0.8 s of CPU less per visitor). Set in
    voila/voila.json; JupyterLab, papermill and nbval keep the ordinary kernel."""

    vorken = Bool(True, config=True, help=(
        "Fork the pages' kernels from one process that has imported what a page needs "
        "(Linux only; elsewhere, or with False, each kernel starts and imports on its own)."))

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # In a server (Voilà makes it with itself as parent): the voorraad imports now, so the
        # first page's kernel does not wait for it.
        if self.parent is not None and self.vorken and kernelvork.kan_vorken():
            kernelvork.Voorraad.van_de_server().start()

    def get_kernel_spec(self, kernel_name, *args, **kwargs):
        spec = super().get_kernel_spec(kernel_name, *args, **kwargs)
        spec.argv = paginakernel_argv(spec.argv)
        if self.vorken and kernelvork.kan_vorken() and kernelvork.is_paginakernel(spec.argv):
            spec.metadata = {**spec.metadata, "kernel_provisioner": {"provisioner_name": kernelvork.NAAM}}
        return spec


def paginakernel_argv(argv: list[str]) -> list[str]:
    """ipykernel's command line with the page's kernel module; any other kernel unchanged."""
    return [PAGINAKERNEL if a == "ipykernel_launcher" else a for a in argv]


PAGINAKERNEL = "regioportret.views.paginakernel"


def is_kernel(cmdline: list[str]) -> bool:
    """Whether a process's command line is a kernel's (the page kernel or ipykernel): started
    with its connection file. Tests and benchmarks count kernels by it. A forked kernel
    (views.kernelvork) shows its command line as one string, as its process title."""
    return any(Path(a).name.startswith("kernel-") and a.endswith(".json") for a in opdracht(cmdline))


def opdracht(cmdline: list[str]) -> list[str]:
    """A process's command line as words, also when it is one process title (a forked kernel)."""
    return " ".join(cmdline).split()


def kernels_in_gebruik(km) -> int:
    """Kernels that run, start or stop: jupyter_client lists a starting kernel only once it is
    ready, but its process already takes memory (and a refilling preheat pool would otherwise
    let one visitor too many in)."""
    return len(set(km.list_kernel_ids()) | set(getattr(km, "_pending_kernels", {})) | getattr(km, "_startend", set()))


def pagina(handler: type, max_kernels: int, proces_naam: str = "") -> type:
    """The render handler, with these additions:
    - it sets the _xsrf cookie. The page's unload beacon sends it back with its request to shut
      the kernel down; Voilà's render never set it, so that request was refused (403) and every
      closed tab kept its kernel until the idle cull;
    - a visitor who would take the kernels past `max_kernels` gets 503 with a Dutch page, before
      a kernel is claimed (Kernelbeheer.laat_toe counts parallel requests too);
    - it sets the visitor's cookie and records the page's kernel as theirs (Kernelbeheer.eigenaren);
    - with `proces_naam` (several processes behind a proxy), it sets the cookie the proxy routes
      the page's later requests by."""

    class Pagina(handler):
        async def prepare(self, *args, **kwargs):
            await super().prepare(*args, **kwargs)
            km = self.settings["kernel_manager"]
            toegelaten = km.laat_toe() if hasattr(km, "laat_toe") else kernels_in_gebruik(km) < max_kernels
            if not toegelaten:
                self._druk()
                return
            self.xsrf_token  # noqa: B018 - reading it sets the cookie (tornado)
            self._bezoeker = bezoeker_van(self) or secrets.token_hex(16)
            self.set_cookie(BEZOEKER, self._bezoeker, httponly=True, samesite="Strict")
            if proces_naam:
                self.set_cookie("regioportret_proces", proces_naam, httponly=True, samesite="Lax")

        def _druk(self):
            self.set_status(503)
            self.set_header("Retry-After", "30")
            self.finish(DRUK)

        @property
        def kernel_manager(self):
            km = self.settings["kernel_manager"]
            bezoeker = getattr(self, "_bezoeker", None)
            return _VoorDeBezoeker(km, bezoeker) if bezoeker and hasattr(km, "eigenaren") else km

        async def get(self, *args, **kwargs):
            try:
                await super().get(*args, **kwargs)
            except Vol:  # the refill the preheated pool waited for found no room
                if self._headers_written:
                    raise
                self._druk()

    Pagina.__name__ = f"{handler.__name__}Regioportret"
    return Pagina


class _VoorDeBezoeker:
    """The kernel manager as one page request sees it: the kernel it hands the request (a
    preheated one or a new one) is recorded as the visitor's."""

    def __init__(self, km, bezoeker: str):
        self._km, self._bezoeker = km, bezoeker

    def __getattr__(self, naam):
        return getattr(self._km, naam)

    async def get_rendered_notebook(self, *args, **kwargs):
        uit = await self._km.get_rendered_notebook(*args, **kwargs)
        self._km.eigenaren[uit[2]] = self._bezoeker
        return uit

    async def start_kernel(self, *args, **kwargs):
        kernel_id = await ensure_async(self._km.start_kernel(*args, **kwargs))
        self._km.eigenaren[kernel_id] = self._bezoeker
        return kernel_id


def niet_voorverwarmen(map_: Path) -> list[str]:
    """Voilà's preheat deny list: every notebook but the busy app pages. Voilà matches each
    pattern from the start of the notebook's absolute path, so the pattern says '.*/'."""
    return [f".*/{re.escape(p.name)}$" for p in sorted(map_.glob("*.ipynb")) if p.name not in VOORVERWARMD]


VOORBEREIDEN_TIMEOUT_S = 3600  # a raw folder's first build and backtest on the real data take minutes


def voorbereiden() -> None:
    """Fill the cache the pages read ($REGIOPORTRET_DATA), in a subprocess: the server stays
    small, and a page's kernel, which has no parquet reader, finds every basis ready.

    Bad input (a data folder or indeling that does not exist or does not read: the command's
    exit status 1, its Dutch message on stderr naming the file) stops the launcher with status 1:
    a server over data it cannot read would only show that error, with a server path, on every
    page. A timeout or an unexpected failure does not: the pages then compute, or explain, themselves."""
    import subprocess

    opdracht = [sys.executable, "-m", "regioportret.cli", "data", "cache"]
    try:
        r = subprocess.run(opdracht, timeout=VOORBEREIDEN_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        print(f"regioportret: de cache was na {VOORBEREIDEN_TIMEOUT_S} s niet gevuld; de pagina's rekenen zelf.",
              file=sys.stderr)
        return
    if r.returncode == 1:
        print("regioportret: de app start niet: de data of de regio-indeling is niet te lezen (zie de melding "
              "hierboven). Verbeter DATA of INDELING en start opnieuw.", file=sys.stderr)
        raise SystemExit(1)
    if r.returncode != 0:  # the pages show the data's error themselves, in Dutch
        print("regioportret: de cache kon niet worden gevuld (zie hierboven); de app start toch.", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    voorbereiden()
    if not any(not a.startswith("-") for a in argv):
        argv.append(str(pakketmap("notebooks")))
    if not any(a.startswith("--Voila.config_file_paths") for a in argv):
        argv.append(f"--Voila.config_file_paths={pakketmap('voila')}")
    # Preheat kernels only for the busy pages the app serves (other notebooks are not rendered).
    uitsluiten = niet_voorverwarmen(pakketmap("notebooks"))
    if uitsluiten:
        argv.append("--VoilaKernelManager.preheat_denylist=" + repr(uitsluiten))
    RegioportretVoila.launch_instance(argv=argv)


if __name__ == "__main__":
    main()
