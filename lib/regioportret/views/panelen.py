"""Dashboard panels as HTML: light to render (no plotting library on a tick), with sources."""

from __future__ import annotations

import html

import pandas as pd

from .. import rules
from ..format import getal, procent
from ..model.portret import Portret
from .portret import JA_NEE, STIJL, bronregel

KLEUR_TECHNIEK = "#1f5fa8"
KLEUR_OVERIG = "#b8c2cc"


def profiel_balken(p: Portret) -> str:
    """Horizontal bars per profiel; the five technical ones in blue."""
    prof = p.profielen()
    hoogste = max(prof.values()) or 1
    rijen = []
    for code, n in prof.items():
        kleur = KLEUR_TECHNIEK if code in rules.TECHNISCHE_PROFIELEN else KLEUR_OVERIG
        breedte = 100 * n / hoogste
        rijen.append(
            f'<div class="rp-balk-rij"><span class="rp-balk-label">{rules.PROFIEL_AFKORTING[code]}</span>'
            f'<span class="rp-balk" style="width:{breedte:.1f}%;background:{kleur}"></span>'
            f'<span class="rp-balk-getal">{getal(n)}</span></div>')
    stijl = ("<style>.rp-balk-rij{display:flex;align-items:center;gap:6px;margin:2px 0;max-width:640px}"
             ".rp-balk-label{width:44px;font-size:.85em}.rp-balk{height:14px;display:inline-block;min-width:1px}"
             ".rp-balk-getal{font-size:.85em}</style>")
    return (STIJL + stijl + "<h4>Leerlingen leerjaar 3-4 per profiel (blauw: technisch)</h4>" + "".join(rijen)
            + bronregel(p))


def regio_tabel(portretten: list[Portret], titel: str) -> str:
    """Key figures per region, one row each: the breakdown of a multi-region selection and the
    national overview of all regions."""
    rijen = []
    for p in portretten:
        r = p.regios[0]
        lw = p.leerlingen()
        rijen.append({"Regio": r["regionummer"], "Naam": r["regionaam"], **{k: lw[k] for k in rules.LEERWEGEN},
                      "Techniek": p.techniek(), "Techniekaandeel": procent(p.techniekaandeel()),
                      "Techniekarm": JA_NEE[p.techniekarm()],
                      "Vestigingen met techniek": p.vestigingen_met_techniek(),
                      "Onderdrukt (<5)": p.onderdrukt()})
    t = pd.DataFrame(rijen)
    tabel = t.map(lambda x: getal(x) if isinstance(x, int) else html.escape(str(x))).to_html(
        classes="rp-tabel", index=False, escape=False)
    return STIJL + f"<h4>{html.escape(titel)}</h4>" + tabel + bronregel(portretten[0])


def _lijn_svg(jaren: list[int], waarden: list[float], breedte=420, hoogte=110, kleur=KLEUR_TECHNIEK) -> str:
    if len(jaren) < 2:
        return ""
    lo, hi = 0.0, max(max(waarden), 1e-9)
    xs = [20 + (breedte - 40) * i / (len(jaren) - 1) for i in range(len(jaren))]
    ys = [hoogte - 20 - (hoogte - 35) * (v - lo) / (hi - lo) for v in waarden]
    punten = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    labels = "".join(f'<text x="{x:.1f}" y="{hoogte - 4}" font-size="10" text-anchor="middle">{j}</text>'
                     for x, j in zip(xs, jaren, strict=True))
    return (f'<svg width="{breedte}" height="{hoogte}" role="img"><polyline fill="none" stroke="{kleur}" '
            f'stroke-width="2" points="{punten}"/>{labels}</svg>')


TREND_BRON = ("DUO, Leerlingen vo per vestiging naar onderwijstype (teldatum 1 oktober van elk jaar) en "
              "Examenkandidaten en geslaagden (schooljaren)")


def trend_voor(trend_basis: pd.DataFrame, examens: pd.DataFrame | None, vestigingen: list[str] | None,
               demo: bool) -> str:
    """The trend panel of a selection (None: everything), from model.trend's per-vestiging tables."""
    from ..model.trend import examenkandidaten_per_sector, leerlingen_trend

    exam = None if examens is None else examenkandidaten_per_sector(examens, vestigingen)
    return trend_panel(leerlingen_trend(trend_basis, vestigingen), exam, demo, TREND_BRON)


def trend_panel(leerlingen: pd.DataFrame, examens: pd.DataFrame | None, demo: bool, bron: str) -> str:
    """Leerjaar 3-4 per year (all years in the data) and exam candidates per sector."""
    delen = [STIJL, "<h4>Trend over de jaren in de data</h4>"]
    if len(leerlingen) > 1:
        t = leerlingen.copy()
        t["techniekaandeel"] = t["techniekaandeel"].map(procent)
        t.index = t.index.map(str)
        tabel = t.T.map(lambda x: getal(x) if isinstance(x, int | float) else str(x))
        tabel.index = ["BB", "KB", "GL", "TL", "techniek", "onderdrukt (<5)", "totaal", "techniekaandeel"]
        delen.append("<div>Leerlingen leerjaar 3-4 per teldatum (1 oktober)</div>")
        delen.append(_lijn_svg(list(leerlingen.index), [float(x) for x in leerlingen["techniek"]]))
        delen.append(tabel.to_html(classes="rp-tabel", escape=False))
        if leerlingen["onderdrukt"].any():
            delen.append('<div class="rp-regel">Jaren met onderdrukte cellen (&lt;5) geven ondergrenzen: '
                         "een daling kan deels door de onderdrukking komen.</div>")
    else:
        delen.append(f"<div class='rp-regel'>De data heeft leerlingen per profiel voor één jaar "
                     f"({', '.join(map(str, leerlingen.index))}); de trend hieronder gebruikt de examenkandidaten.</div>")
    if examens is not None and len(examens):
        e = examens.copy()
        delen.append("<div>Examenkandidaten vmbo per sector (alleen sectorniveau beschikbaar)</div>")
        if "techniek" in e:
            delen.append(_lijn_svg([int(s[:4]) for s in e.index], [float(x) for x in e["techniek"]]))
        delen.append(e.T.map(getal).to_html(classes="rp-tabel", escape=False))
    demo_tekst = " DEMODATA: fictieve scholen." if demo else ""
    delen.append(f'<div class="rp-bron">Bron: {html.escape(bron)}.{demo_tekst}</div>')
    return "".join(delen)


REGELNAMEN = {"techniekarm": "Techniekarm", "samenwerking": "Samenwerking (twee scholen)",
              "een_regio_per_vestiging": "Eén regio per vestiging", "penvoerder": "Penvoerder",
              "budget": "Leerlingen voor het budget"}


def regels_panel(p: Portret, overslaan: tuple[str, ...] = ()) -> str:
    """Every rule applied to the selection (except `overslaan`, shown elsewhere on the page),
    with its outcome and the rule itself."""
    from ..model.regels import arbeidsmarktregios, regels

    def uitkomst(r):
        if isinstance(r.uitkomst, bool):
            return "ja" if r.uitkomst else "nee"
        if r.regel == "penvoerder":
            return f"{getal(r.uitkomst)} vestigingen"
        return getal(r.uitkomst) if isinstance(r.uitkomst, int | float) else "–"

    rijen = "".join(f"<tr><td>{html.escape(REGELNAMEN.get(r.regel, r.regel))}</td><td>{uitkomst(r)}</td>"
                    f"<td style='text-align:left'>{html.escape(r.toelichting)}</td></tr>"
                    for r in regels(p) if r.regel not in overslaan)
    am = arbeidsmarktregios(p, p.arbeidsmarkt)
    am_tekst = ", ".join(f"{html.escape(a['naam'])} ({a['code']}, {procent(a['gewicht'], 0)})" for a in am) \
        or "onbekend (geen gebiedsindeling in de data)"
    return (STIJL + "<h4>Regels en budget</h4><table class='rp-tabel'><tr><th>Regel</th><th>Uitkomst</th>"
            f"<th style='text-align:left'>Toelichting</th></tr>{rijen}</table>"
            f"<div class='rp-regel'>Arbeidsmarktregio('s), gewogen naar leerlingen: {am_tekst}.</div>"
            + bronregel(p, "Bedragen zijn een indicatie, geen toegekend budget."))


def vergelijking_panel(d: pd.DataFrame, gekozen: list[int], indicator: str, bron: str) -> str:
    """The selected regions side by side with the median region and the country, and all regions
    ranked on one indicator (bars; the selected ones in orange)."""
    from ..model.vergelijking import INDICATOREN, LANDELIJK

    def fmt(k, x):
        return procent(x) if INDICATOREN[k][1] == "procent" else getal(x)

    regio = d[d.index != 0]
    rijen = [(f"regio {nr} {d.at[nr, 'regionaam']}", d.loc[nr]) for nr in gekozen if nr in d.index]
    rijen += [("mediaan van de regio's", regio.drop(columns="regionaam").median()), (LANDELIJK, d.loc[0])]
    kop = "".join(f"<th>{html.escape(INDICATOREN[k][0])}</th>" for k in INDICATOREN)
    tabel = "".join(f"<tr><td>{html.escape(n)}</td>" + "".join(f"<td>{fmt(k, r[k])}</td>" for k in INDICATOREN)
                    + "</tr>" for n, r in rijen)
    rang = regio[indicator].dropna().sort_values(ascending=False)
    hoogste = max(abs(rang).max(), 1e-9) if len(rang) else 1
    balken = []
    for i, (nr, w) in enumerate(rang.items(), start=1):
        kleur = "#e8590c" if nr in gekozen else KLEUR_OVERIG
        breedte = 100 * abs(w) / hoogste
        balken.append(f'<div class="rp-balk-rij" data-regio="{nr}"><span class="rp-balk-label" style="width:170px">'
                      f"{i}. regio {nr} {html.escape(str(d.at[nr, 'regionaam']))[:22]}</span>"
                      f'<span class="rp-balk" style="width:{breedte * 0.6:.1f}%;background:{kleur}"></span>'
                      f'<span class="rp-balk-getal">{fmt(indicator, w)}</span></div>')
    stijl = ("<style>.rp-balk-rij{display:flex;align-items:center;gap:6px;margin:1px 0;max-width:760px}"
             ".rp-balk{height:11px;display:inline-block;min-width:1px}.rp-balk-getal,.rp-balk-label{font-size:.8em}"
             ".rp-rangorde{max-height:420px;overflow-y:auto}</style>")
    periodes = f"Trend: {html.escape(d.attrs.get('trend', ''))}. Prognose: {html.escape(d.attrs.get('prognose', ''))}."
    return (STIJL + stijl + "<h4>Vergelijking met andere regio's en het land</h4>"
            f"<table class='rp-tabel rp-vergelijking'><tr><th></th>{kop}</tr>{tabel}</table>"
            f"<div class='rp-regel'>Rangorde van alle regio's op <b>{html.escape(INDICATOREN[indicator][0])}</b>"
            " (oranje: gekozen)</div>" + f"<div class='rp-rangorde'>{''.join(balken)}</div>"
            + f'<div class="rp-bron">{html.escape(bron)} {periodes}</div>')
