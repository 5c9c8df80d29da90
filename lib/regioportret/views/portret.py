"""HTML panels of a portrait for notebooks and Voilà: key figures, tables, sources.

Every panel ends with its source and teldatum; demo data carries a visible banner.
"""

from __future__ import annotations

import html

import pandas as pd

from .. import rules
from ..format import getal, procent
from ..model.portret import Portret
from ..model.regels import regels

JA_NEE = {True: "ja", False: "nee", None: "–"}

STIJL = """
<style>
.rp-banner{background:#fff3cd;border:1px solid #e0b400;padding:6px 10px;margin:4px 0 10px;font-weight:600}
.rp-kaarten{display:flex;flex-wrap:wrap;gap:10px;margin:6px 0}
.rp-kaart{border:1px solid #ccd;border-radius:6px;padding:8px 12px;min-width:150px;background:#f8f9fc}
.rp-kaart .rp-getal{font-size:1.6em;font-weight:700}
.rp-kaart .rp-label{font-size:.85em;color:#445}
.rp-bron{font-size:.8em;color:#556;margin:4px 0 14px}
.rp-regel{font-size:.9em;margin:4px 0}
table.rp-tabel td, table.rp-tabel th{padding:2px 8px;text-align:right}
table.rp-tabel th:first-child, table.rp-tabel td:first-child{text-align:left}
</style>
"""


def bronregel(p: Portret, extra: str = "") -> str:
    bronnen = ", ".join(p.bronnen) or "DUO"
    tekst = (f"Bron: DUO, Leerlingen vo per vestiging naar onderwijstype ({html.escape(bronnen)}); "
             f"teldatum {p.teldatum} (1 oktober {p.jaar}, schooljaar {p.jaar}-{p.jaar + 1}). "
             f"Indeling: {html.escape(p.indeling.label)}.")
    if p.onderdrukt():
        tekst += f" {getal(p.onderdrukt())} cellen met minder dan 5 leerlingen (&lt;5) zijn door DUO onderdrukt en niet meegeteld."
    if p.demo:
        tekst += " DEMODATA: fictieve scholen."
    return f'<div class="rp-bron">{tekst}{(" " + extra) if extra else ""}</div>'


def banner(demo: bool) -> str:
    return ('<div class="rp-banner">Demodata, fictieve scholen: deze cijfers zijn verzonnen en alleen bedoeld '
            'om de app te laten zien.</div>') if demo else ""


def titel(p: Portret) -> str:
    if p.landelijk:
        return "Alle vestigingen in de data"
    return "; ".join(f"Regio {r['regionummer']} – {html.escape(r['regionaam'])}" for r in p.regios)


def kerncijfers(p: Portret, met_banner: bool = True) -> str:
    lw = p.leerlingen()
    arm = p.techniekarm()
    kaarten = [
        *[(getal(lw[k]), f"leerlingen {k} lj 3-4") for k in rules.LEERWEGEN],
        (getal(p.techniek()), "in technische profielen"),
        (procent(p.techniekaandeel()), "techniekaandeel"),
        (JA_NEE[arm], "techniekarm"),
        (getal(p.vestigingen_met_techniek()), f"van {getal(p.vestigingen())} vestigingen met techniek"),
    ]
    blokken = "".join(f'<div class="rp-kaart"><div class="rp-getal">{g}</div><div class="rp-label">{lab}</div></div>'
                      for g, lab in kaarten)
    uitleg = {r.regel: r for r in regels(p)}  # the same wording as the JSON output
    namen = {"techniekarm": "Techniekarm", "samenwerking": "Samenwerking"}
    regel_lijnen = "".join(
        f"<div class='rp-regel'><b>{namen[k]}: {JA_NEE[uitleg[k].uitkomst]}</b>. "
        f"{html.escape(uitleg[k].toelichting)}</div>" for k in namen)
    return (STIJL + (banner(p.demo) if met_banner else "") + f"<h3>{titel(p)}</h3>" + f'<div class="rp-kaarten">{blokken}</div>'
            + regel_lijnen + bronregel(p))


def _tabel_html(df: pd.DataFrame, index_naam: str) -> str:
    getallen = df.map(lambda x: getal(x) if isinstance(x, int | float) and not isinstance(x, bool) else html.escape(str(x)))
    return getallen.to_html(classes="rp-tabel", escape=False, index_names=False).replace(
        "<th></th>", f"<th>{html.escape(index_naam)}</th>", 1)


def profiel_tabel(p: Portret) -> str:
    t = p.profiel_x_leerweg()
    t.index = [f"{rules.PROFIEL_AFKORTING.get(i, i)} {rules.PROFIELEN.get(i, '')}".strip() if i in rules.PROFIELEN
               else i for i in t.index]
    t["totaal"] = t.sum(axis=1)
    t.loc["Totaal"] = t.sum(axis=0)
    return (STIJL + "<h4>Leerlingen leerjaar 3-4 per profiel en leerweg</h4>" + _tabel_html(t, "Profiel")
            + bronregel(p, "Technische profielen: " + ", ".join(rules.PROFIEL_AFKORTING[x] for x in rules.TECHNISCHE_PROFIELEN) + "."))


def vestiging_tabel(p: Portret) -> str:
    t = p.per_vestiging().rename(columns={"vestigingscode": "Vestiging", "vestigingsnaam": "Naam",
                                          "plaatsnaam": "Plaats", "regionummer": "Regio", "totaal": "Totaal",
                                          "techniek": "Techniek", "onderdrukt": "Onderdrukt (<5)"})
    t["Regio"] = t["Regio"].map(lambda x: "–" if pd.isna(x) else str(int(x)))
    t = t.set_index("Vestiging")
    return STIJL + "<h4>Per vestiging (leerjaar 3-4)</h4>" + _tabel_html(t, "Vestiging") + bronregel(p)
