"""Serve the app with Voilà, hardened: `/` opens the portrait, only the app's notebooks are
rendered, and there is no file listing or contents API.

Run: python -m regioportret.views.app [voila options]   (make app does this)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_server.utils import url_path_join
from tornado.web import RedirectHandler
from traitlets import Integer, Unicode
from voila.app import Voila

from ..store import pakketmap

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
        toegestaan = "|".join(re.escape(n) for n in APP_NOTEBOOKS)
        handlers = [(basis, RedirectHandler, {"url": url_path_join(basis, "/voila/render/", START)})]
        for h in super().init_handlers():
            patroon = h[0]
            # The read-only app has no accounts: no login or logout page (the logout handler
            # answered 500 without a login); such a route is a plain 404 like any unknown one.
            if patroon == basis or patroon.startswith(weg) or patroon.rstrip("/").endswith(("/login", "/logout")):
                continue
            if patroon == render:
                h = (url_path_join(basis, rf"/voila/render/({toegestaan})"),
                     pagina(h[1], self.max_kernels, self.proces_naam), *h[2:])
            handlers.append(h)
        return handlers


class Paginakernels(KernelSpecManager):
    """The served pages' kernels: views.paginakernel in place of ipykernel_launcher (no pyarrow,
    no debugger: about 45 MB less per visitor). Set in voila/voila.json; JupyterLab, papermill
    and nbval keep the ordinary kernel."""

    def get_kernel_spec(self, kernel_name, *args, **kwargs):
        spec = super().get_kernel_spec(kernel_name, *args, **kwargs)
        spec.argv = paginakernel_argv(spec.argv)
        return spec


def paginakernel_argv(argv: list[str]) -> list[str]:
    """ipykernel's command line with the page's kernel module; any other kernel unchanged."""
    return [PAGINAKERNEL if a == "ipykernel_launcher" else a for a in argv]


PAGINAKERNEL = "regioportret.views.paginakernel"


def is_kernel(cmdline: list[str]) -> bool:
    """Whether a process's command line is a kernel's (the page kernel or ipykernel): started
    with its connection file. Tests and benchmarks count kernels by it."""
    return any(Path(a).name.startswith("kernel-") and a.endswith(".json") for a in cmdline)


def kernels_in_gebruik(km) -> int:
    """Kernels that run, start or stop: jupyter_client lists a starting kernel only once it is
    ready, but its process already takes memory (and a refilling preheat pool would otherwise
    let one visitor too many in)."""
    return len(set(km.list_kernel_ids()) | set(getattr(km, "_pending_kernels", {})))


def pagina(handler: type, max_kernels: int, proces_naam: str = "") -> type:
    """The render handler, with two additions:
    - it sets the _xsrf cookie. The page's unload beacon sends it back with its request to shut
      the kernel down; Voilà's render never set it, so that request was refused (403) and every
      closed tab kept its kernel until the idle cull;
    - beyond `max_kernels` running kernels it answers 503 with a Dutch page, before a kernel
      is claimed;
    - with `proces_naam` (several processes behind a proxy), it sets the cookie the proxy routes
      the page's later requests by."""

    class Pagina(handler):
        async def prepare(self, *args, **kwargs):
            await super().prepare(*args, **kwargs)
            if kernels_in_gebruik(self.kernel_manager) >= max_kernels:
                self.set_status(503)
                self.set_header("Retry-After", "30")
                self.finish(DRUK)
                return
            self.xsrf_token  # noqa: B018 - reading it sets the cookie (tornado)
            if proces_naam:
                self.set_cookie("regioportret_proces", proces_naam, httponly=True, samesite="Lax")

    Pagina.__name__ = f"{handler.__name__}Regioportret"
    return Pagina


def niet_voorverwarmen(map_: Path) -> list[str]:
    """Voilà's preheat deny list: every notebook but the busy app pages. Voilà matches each
    pattern from the start of the notebook's absolute path, so the pattern says '.*/'."""
    return [f".*/{re.escape(p.name)}$" for p in sorted(map_.glob("*.ipynb")) if p.name not in VOORVERWARMD]


VOORBEREIDEN_TIMEOUT_S = 3600  # a raw folder's first build and backtest on the real data take minutes


def voorbereiden() -> None:
    """Fill the cache the pages read ($REGIOPORTRET_DATA), in a subprocess: the server stays
    small, and a page's kernel, which has no parquet reader, finds every basis ready."""
    import subprocess

    opdracht = [sys.executable, "-m", "regioportret.cli", "data", "cache"]
    try:
        r = subprocess.run(opdracht, timeout=VOORBEREIDEN_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        print(f"regioportret: de cache was na {VOORBEREIDEN_TIMEOUT_S} s niet gevuld; de pagina's rekenen zelf.",
              file=sys.stderr)
        return
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
