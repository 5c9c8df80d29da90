"""One call per notebook cell: load, compute, display; a user error becomes a Dutch message."""

from __future__ import annotations

import html

import pandas as pd

from ..errors import RegioportretError
from ..model import actieve_indeling, kies_regios, portret, portretten
from ..store import laad
from .format import getal, procent
from .portret import STIJL, banner, kerncijfers, profiel_tabel, vestiging_tabel


def foutmelding(e: Exception) -> str:
    return ('<div class="rp-fout" style="border:1px solid #c00;background:#fee;padding:8px 12px;margin:6px 0">'
            f"<b>Dit lukt niet.</b> {html.escape(str(e))}</div>")


def _display(stuk: str) -> None:
    from IPython.display import HTML, display

    display(HTML(stuk))


def regio_overzicht(ds, indeling, jaar=None) -> pd.DataFrame:
    """Key figures of every region of the indeling, one row each."""
    rijen = []
    for p in portretten(ds, indeling, jaar):
        d = p.als_dict()
        rijen.append({"Regio": d["regios"][0]["regionummer"], "Naam": d["regios"][0]["regionaam"],
                      "Vestigingen": d["vestigingen"], "Met techniek": d["vestigingen_met_techniek"],
                      "Leerlingen lj 3-4": d["leerlingen_totaal"], "Techniek": d["techniek"],
                      "Techniekaandeel": procent(d["techniekaandeel"]),
                      "Techniekarm": {True: "ja", False: "nee", None: "–"}[d["techniekarm"]],
                      "Onderdrukt (<5)": d["onderdrukt"]})
    return pd.DataFrame(rijen)


def toon_portret(data=None, regio=None, jaar=None, indeling=None, definitie=None) -> None:
    """Show the portrait of `regio` ('12,14'; None = all data) with its tables and sources."""
    try:
        ds = laad(data)
        ind = actieve_indeling(ds, indeling)
        p = portret(ds, ind, kies_regios(ind, regio), jaar, definitie)
    except RegioportretError as e:
        _display(foutmelding(e))
        return
    _display(kerncijfers(p))
    _display(profiel_tabel(p))
    if p.landelijk:
        t = regio_overzicht(ds, ind, p.jaar)
        tabel = t.map(lambda x: getal(x) if isinstance(x, int) else html.escape(str(x))).to_html(
            classes="rp-tabel", index=False, escape=False)
        _display(STIJL + f"<h4>Per regio ({html.escape(ind.label)})</h4>" + tabel
                 + f'<div class="rp-bron">Bron: DUO, teldatum {p.teldatum}. Regio\'s: {html.escape(ind.label)}.</div>')
    else:
        _display(vestiging_tabel(p))


def toon_demo_banner(data=None) -> None:
    try:
        _display(STIJL + banner(laad(data).is_demo))
    except RegioportretError as e:
        _display(foutmelding(e))
