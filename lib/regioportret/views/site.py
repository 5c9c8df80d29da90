"""A static site of all portraits: an index (overview map, table of all regions, links) and per
region an HTML portrait and its PDF. Plain files that work offline (no CDN, no kernel), so many
readers can be served by any web server.
"""

from __future__ import annotations

import html
import os
import shutil
from pathlib import Path

from .. import rules
from ..format import getal, procent
from ..model import arbeidsmarkt as arbeidsmarktmodel
from ..model import basis, prognoseportret
from ..model.portret import bovenbouw
from ..model.trend import trend_basis
from ..store import wissel_in
from .arbeidsmarkt import arbeidsmarkt_panel
from .panelen import profiel_balken, regels_panel, trend_voor
from .pdf import HORIZON, kaart_png, portret_pdf
from .portret import STIJL, banner, kerncijfers, profiel_tabel, vestiging_tabel
from .prognose import prognose_panel
from .qa import qa_html

PAGINA_CSS = ("<style>body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1050px;margin:18px auto;"
              "padding:0 14px;color:#1b2a3a}a{color:#1f5fa8}img.rp-kaartbeeld{max-width:100%;height:auto}"
              "nav{font-size:.9em;margin-bottom:8px}table.rp-tabel{border-collapse:collapse;border:none}"
              "table.rp-tabel td,table.rp-tabel th{border:none;border-bottom:1px solid #e3e6ea}</style>")


def _pagina(titel: str, inhoud: str) -> str:
    return (f"<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><meta name='viewport' "
            f"content='width=device-width, initial-scale=1'><title>{html.escape(titel)}</title>{PAGINA_CSS}</head>"
            f"<body>{inhoud}</body></html>\n")


class Site:
    """What every page needs, read once."""

    def __init__(self, ds, indeling):
        self.ds, self.indeling = ds, indeling
        rijen = bovenbouw(ds)
        self.basis = basis(ds, indeling, None, rijen)
        self.trend = trend_basis(rijen, rules.TECHNISCHE_PROFIELEN)
        self.examens = ds.examens
        self.prognose = prognoseportret.basis(ds, indeling)

    def regio_pagina(self, nr: int, kaart: str) -> tuple[str, object]:
        p = self.basis.portret([nr])
        vest = list(p.tabel["vestigingscode"].unique())
        prog = None if self.prognose is None else prognoseportret.prognose(self.prognose, vest)
        naam = self.indeling.naam(nr)
        delen = [
            f"<nav><a href='index.html'>Alle regio's</a> · <a href='regio-{nr}.pdf'>Dit portret als pdf (A4)</a></nav>",
            banner(p.demo), f"<h1>Regioportret regio {nr} – {html.escape(naam)}</h1>",
            f"<img class='rp-kaartbeeld' src='{kaart}' alt='Kaart van regio {nr} en haar vestigingen'>",
            kerncijfers(p, met_banner=False), regels_panel(p, overslaan=("techniekarm", "samenwerking")),
            profiel_tabel(p), profiel_balken(p), vestiging_tabel(p),
            trend_voor(self.trend, self.examens, vest, p.demo),
            prognose_panel(self.prognose, prog, HORIZON, f"regio {nr}"),
            arbeidsmarkt_panel(arbeidsmarktmodel.beeld(self.ds, p), p.demo), STIJL + qa_html(),
        ]
        return _pagina(f"Regioportret regio {nr} – {naam}", "".join(delen)), p

    def index(self, kaart: str) -> str:
        rijen = []
        for p in self.basis.portretten():
            r = p.regios[0]
            nr = r["regionummer"]
            lw = p.leerlingen()
            rijen.append(
                f"<tr><td><a href='regio-{nr}.html'>{nr}</a></td><td style='text-align:left'>"
                f"<a href='regio-{nr}.html'>{html.escape(r['regionaam'])}</a></td>"
                + "".join(f"<td>{getal(lw[k])}</td>" for k in rules.LEERWEGEN)
                + f"<td>{getal(p.techniek())}</td><td>{procent(p.techniekaandeel())}</td>"
                f"<td>{'ja' if p.techniekarm() else 'nee'}</td><td>{getal(p.vestigingen_met_techniek())}</td>"
                f"<td><a href='regio-{nr}.pdf'>pdf</a></td></tr>")
        kop = "".join(f"<th>{k}</th>" for k in ["regio", "naam", *rules.LEERWEGEN, "techniek", "techniekaandeel",
                                               "techniekarm", "vestigingen met techniek", "portret"])
        b = self.basis
        bron = (f"Bron: DUO, Leerlingen vo per vestiging naar onderwijstype ({html.escape(', '.join(b.bronnen))}); "
                f"teldatum {rules.teldatum(b.jaar)}. Indeling: {html.escape(self.indeling.label)}."
                + (" DEMODATA: fictieve scholen." if b.demo else ""))
        return _pagina("Regioportretten Sterk Techniekonderwijs", (
            banner(b.demo) + STIJL + "<h1>Regioportretten Sterk Techniekonderwijs</h1>"
            f"<img class='rp-kaartbeeld' src='{kaart}' alt='Overzichtskaart van alle regio&#39;s'>"
            f"<h2>Alle regio's ({getal(len(rijen))})</h2><table class='rp-tabel'><tr>{kop}</tr>{''.join(rijen)}</table>"
            f"<div class='rp-bron'>{bron}</div>" + qa_html()))


_WERKER: dict = {}


def _start_werker(map_: str, indeling) -> None:
    from .. import store

    ds = store.laad(map_)
    _WERKER.update(ds=ds, indeling=indeling, site=Site(ds, indeling))


def _schrijf_regio(nr: int, tmp: str) -> int:
    ds, indeling, site = _WERKER["ds"], _WERKER["indeling"], _WERKER["site"]
    tmp = Path(tmp)
    tekst, p = site.regio_pagina(nr, f"kaart-{nr}.png")
    kaart = kaart_png(ds, indeling, p)
    (tmp / f"kaart-{nr}.png").write_bytes(kaart)
    (tmp / f"regio-{nr}.html").write_text(tekst, encoding="utf-8")
    (tmp / f"regio-{nr}.pdf").write_bytes(portret_pdf(ds, indeling, p, kaart, site.trend))
    return nr


def render_alles(ds, indeling, out: Path, voortgang: bool = True, werkers: int | None = None) -> Path:
    """Write the whole site to `out` (built in a temporary folder next to it, then swapped in).

    `werkers`: processes rendering regions side by side (default: one per core).
    """
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from tqdm.auto import tqdm

    out = Path(out).resolve()
    tmp = out.parent / f".{out.name}.site-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    werkers = max(1, werkers or os.cpu_count() or 1)
    try:
        site = Site(ds, indeling)
        nummers = [int(n) for n in indeling.regios["regionummer"]]
        (tmp / "kaart-overzicht.png").write_bytes(kaart_png(ds, indeling, site.basis.portret([])))
        (tmp / "index.html").write_text(site.index("kaart-overzicht.png"), encoding="utf-8")
        balk = tqdm(total=len(nummers), desc="Portretten", unit="regio", disable=not voortgang)
        if werkers == 1:
            _WERKER.update(ds=ds, indeling=indeling, site=site)
            for nr in nummers:
                _schrijf_regio(nr, str(tmp))
                balk.update()
        else:
            with ProcessPoolExecutor(werkers, initializer=_start_werker, initargs=(str(ds.map), indeling)) as pool:
                for f in as_completed([pool.submit(_schrijf_regio, nr, str(tmp)) for nr in nummers]):
                    f.result()
                    balk.update()
        balk.close()
        wissel_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
