"""A static site of all portraits: an index (overview map, table of all regions, links) and per
region an HTML portrait and its PDF. Plain files that work offline (no CDN, no kernel), so many
readers can be served by any web server. Every page renders the region's bundle with the same
panel templates as the dashboard.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..context import Context, open_context
from ..store import schrijven_naar, vrije_uitvoermap, wissel_in
from . import panelen
from .pdf import html_naar_pdf, kaart_png, portret_html
from .sjabloon import render, veilig


def regio_pagina(ctx: Context, nr: int, kaart: str) -> tuple[str, object]:
    """The HTML of region `nr` (its map image at `kaart`), and its bundle."""
    s = ctx.selectie([nr])
    return _regio_html(s, nr, kaart, panelen.alle(s)), s


def _regio_html(s, nr: int, kaart: str, delen: list[str]) -> str:
    return render("site_regio.html", s=s, nr=nr, kaart=kaart, panelen=[veilig(d) for d in delen],
                  qa=veilig(panelen.qa()))


def index(ctx: Context, kaart: str) -> str:
    s = ctx.selectie()  # the country: its per_regio rows are every region
    return render("site_index.html", s=s, kaart=kaart, qa=veilig(panelen.qa()))


_WERKER: dict = {}


def _start_werker(map_: str, indeling_pad: str | None, jaar: int) -> None:
    _WERKER["ctx"] = open_context(map_, indeling_pad, jaar)


def _schrijf_regio(nr: int, tmp: str) -> int:
    ctx = _WERKER["ctx"]
    tmp = Path(tmp)
    s = ctx.selectie([nr])
    delen = panelen.alle(s)  # rendered once: the page and its PDF print the same panels
    kaart = kaart_png(s, ctx.kaartlagen, ctx.scholen)
    (tmp / f"kaart-{nr}.png").write_bytes(kaart)
    (tmp / f"regio-{nr}.html").write_text(_regio_html(s, nr, f"kaart-{nr}.png", delen), encoding="utf-8")
    (tmp / f"regio-{nr}.pdf").write_bytes(html_naar_pdf(portret_html(s, kaart, delen)))
    return nr


def render_alles(ctx: Context, out: Path, voortgang: bool = True, werkers: int | None = None) -> Path:
    """Write the whole site to `out` (built in a temporary folder next to it, then swapped in).

    `werkers`: processes rendering regions side by side (default: one per core); each opens the
    same context (its bases come from the store's cache).
    """
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from tqdm.auto import tqdm

    indeling = ctx.indeling.bron if ctx.indeling.soort == "bestand" else None
    out = vrije_uitvoermap(out, "render --all", invoer=[ctx.ds.map, ctx.ds.manifest.get("raw"), indeling])
    tmp = out.parent / f".{out.name}.site-{os.getpid()}"
    werkers = max(1, werkers or os.cpu_count() or 1)
    try:
        with schrijven_naar(out):  # a failed write names --out, not a temporary file
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            nummers = [int(n) for n in ctx.indeling.regios["regionummer"]]
            (tmp / "kaart-overzicht.png").write_bytes(kaart_png(ctx.selectie(), ctx.kaartlagen, ctx.scholen))
            (tmp / "index.html").write_text(index(ctx, "kaart-overzicht.png"), encoding="utf-8")
            balk = tqdm(total=len(nummers), desc="Portretten", unit="regio", disable=not voortgang)
            if werkers == 1 or (indeling is not None and not Path(str(indeling)).is_file()):
                _WERKER["ctx"] = ctx
                for nr in nummers:
                    _schrijf_regio(nr, str(tmp))
                    balk.update()
            else:
                with ProcessPoolExecutor(werkers, initializer=_start_werker,
                                         initargs=(str(ctx.ds.map), indeling, ctx.jaar)) as pool:
                    for f in as_completed([pool.submit(_schrijf_regio, nr, str(tmp)) for nr in nummers]):
                        f.result()
                        balk.update()
            balk.close()
            wissel_in(tmp, out, "render --all")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
