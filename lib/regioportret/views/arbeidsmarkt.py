"""The labour-market panel: the selection's arbeidsmarktregio('s) against the country."""

from __future__ import annotations

import html

import pandas as pd

from .. import rules
from ..format import getal, procent
from ..model.arbeidsmarkt import FETCH_TEKST, NL, Arbeidsmarktbeeld
from .portret import STIJL

KLEUR_SPANNING = {"zeer ruim": "#d8e8f6", "ruim": "#e9f1f9", "gemiddeld": "#f4f4f4", "krap": "#fde2c8",
                  "zeer krap": "#f8b98a"}


def _pct(x) -> str:
    return "–" if x is None or pd.isna(x) else f"{x:.1f}%".replace(".", ",")


def _kaart(label: str, waarde: str, landelijk: str) -> str:
    return (f'<div class="rp-kaart rp-am-kaart"><div class="rp-getal">{waarde}</div><div class="rp-label">{html.escape(label)}'
            f"<br>landelijk: {landelijk}</div></div>")


def _bron(tekst: str) -> str:
    return f'<div class="rp-bron">{tekst}</div>'


def arbeidsmarkt_panel(b: Arbeidsmarktbeeld, demo: bool = False) -> str:
    delen = [STIJL, "<h4>Arbeidsmarkt</h4>"]
    if b.leeg:
        delen.append("<div class='rp-regel'><b>Geen arbeidsmarktgegevens geladen.</b> Deze data bevat geen cijfers "
                     f"van CBS StatLine, UWV of de doorstroom vmbo-mbo. {html.escape(FETCH_TEKST)}</div>")
        return "".join(delen)
    demo_tekst = " DEMODATA: fictieve cijfers." if demo else ""
    if b.landelijk:
        delen.append("<div class='rp-regel'>Geen regio gekozen: de landelijke cijfers. Vink een regio aan voor "
                     "haar arbeidsmarktregio('s).</div>")
    elif b.regios:
        delen.append("<div class='rp-regel'>Arbeidsmarktregio('s) van de vestigingen, gewogen naar leerlingen "
                     "leerjaar 3-4: " + "; ".join(f"{html.escape(r['naam'])} ({r['code']}, {procent(r['gewicht'])})"
                                                  for r in b.regios) + ".</div>")
    else:
        delen.append("<div class='rp-regel'>De vestigingen van deze selectie zijn niet aan een arbeidsmarktregio "
                     "gekoppeld (geen ligging of geen grenzen van arbeidsmarktregio's in de data).</div>")
    if b.geladen["cbs"]:
        kaarten = []
        if not b.banen.empty:
            sel = b.gewogen(b.banen, "aandeel")
            kaarten.append(_kaart("banen in technische sectoren", procent(sel) if sel is not None else "–",
                                  procent(b.landelijk_cijfer(b.banen, "aandeel"))))
        if not b.werkloosheid.empty:
            kaarten.append(_kaart("werkloosheid", _pct(b.gewogen(b.werkloosheid, "pct")),
                                  _pct(b.landelijk_cijfer(b.werkloosheid, "pct"))))
        delen.append('<div class="rp-kaarten">' + "".join(kaarten) + "</div>")
        t = b.banen.merge(b.werkloosheid[["code", "pct"]], on="code", how="outer") if not b.banen.empty else \
            b.werkloosheid.assign(banen=None, techniek=None, aandeel=None)
        if not t.empty:
            rijen = "".join(
                f"<tr><td>{html.escape(str(r['gebied']))}</td><td>{getal(r['banen'])}</td><td>{getal(r['techniek'])}</td>"
                f"<td>{procent(r['aandeel'])}</td><td>{_pct(r['pct'])}</td></tr>" for _, r in t.iterrows())
            delen.append("<table class='rp-tabel rp-arbeidsmarkt'><tr><th>gebied</th><th>banen van werknemers</th>"
                         "<th>waarvan technische sectoren</th><th>aandeel techniek</th><th>werkloosheid</th></tr>"
                         f"{rijen}</table>")
        periode_b = ", ".join(sorted(set(b.banen["periode"].astype(str)))) or "–"
        periode_w = ", ".join(sorted(set(b.werkloosheid["periode"].astype(str)))) or "–"
        delen.append(_bron(f"Bron: CBS StatLine ({html.escape(', '.join(b.bronnen.get('cbs', [])))}); "
                           f"banen: {html.escape(periode_b)}, werkloosheid: {html.escape(periode_w)}. Technische "
                           f"sectoren: {html.escape(rules.TECHNISCHE_SECTOREN_TEKST)}. Een selectie over meer "
                           f"arbeidsmarktregio's krijgt het naar leerlingen gewogen gemiddelde.{demo_tekst}"))
    else:
        delen.append("<div class='rp-regel'>Geen CBS-cijfers (banen, werkloosheid) geladen. "
                     f"{html.escape(FETCH_TEKST)}</div>")
    if b.geladen["uwv"] and not b.spanning.empty:
        kop = "".join(f"<th>{html.escape(str(c))}</th>" for c in b.spanning.columns)
        rijen = ""
        for klasse, rij in b.spanning.iterrows():
            cellen = "".join(f"<td style='background:{KLEUR_SPANNING.get(str(w), '#fff')}'>{html.escape(str(w))}</td>"
                             if pd.notna(w) else "<td>–</td>" for w in rij)
            rijen += f"<tr><td>{html.escape(str(klasse))}</td>{cellen}</tr>"
        delen.append("<div class='rp-regel'>Spanning op de arbeidsmarkt voor technische beroepen (UWV-spanningsindicator: "
                     "vacatures per kortdurend werkzoekende, van zeer ruim tot zeer krap)</div>"
                     f"<table class='rp-tabel rp-spanning'><tr><th>beroepsklasse</th>{kop}</tr>{rijen}</table>")
        delen.append(_bron(f"Bron: UWV spanningsindicator ({html.escape(', '.join(b.bronnen.get('uwv', [])))}), "
                           f"periode {html.escape(b.spanning.attrs.get('periode', '–'))}. Technische beroepen: de "
                           f"beroepssegmenten {html.escape(', '.join(rules.TECHNISCHE_BEROEPSSEGMENTEN))}.{demo_tekst}"))
    elif b.geladen["uwv"]:
        delen.append("<div class='rp-regel'>De UWV-spanningsindicator heeft geen technische beroepen voor deze "
                     "arbeidsmarktregio('s).</div>")
    else:
        delen.append("<div class='rp-regel'>Geen UWV-spanningsindicator geladen (zet UWV's bestand in de datamap, "
                     "of haal het op met 'regioportret data fetch --uwv-url URL').</div>")
    if b.geladen["doorstroom"] and not b.doorstroom.empty:
        d = b.doorstroom.pivot_table(index="profiel", columns="gebied", values="aandeel", aggfunc="first")
        n = b.doorstroom.pivot_table(index="profiel", columns="gebied", values="naar_mbo", aggfunc="first")
        gebieden = [g for g in ("selectie", "landelijk") if g in d.columns]
        rijen = "".join(
            f"<tr><td>{rules.PROFIEL_AFKORTING.get(pr, pr)}</td>" + "".join(
                f"<td>{procent(d.at[pr, g])} van {getal(n.at[pr, g])}</td>" if pd.notna(n.at[pr, g]) else "<td>–</td>"
                for g in gebieden) + "</tr>"
            for pr in rules.PROFIELEN if pr in d.index)
        delen.append("<div class='rp-regel'>Doorstroom vmbo → mbo: aandeel dat naar een technische mbo-opleiding gaat, "
                     "per profiel</div><table class='rp-tabel rp-doorstroom'><tr><th>profiel</th>"
                     + "".join(f"<th>{g}</th>" for g in gebieden) + f"</tr>{rijen}</table>")
        onderdrukt = int(b.doorstroom["onderdrukt"].sum())
        delen.append(_bron("Bron: doorstroom vmbo-mbo ("
                           + html.escape(", ".join(b.bronnen.get("doorstroom", []))) + "). Technisch mbo: "
                           + html.escape(", ".join(rules.TECHNISCHE_MBO_DOMEINEN)) + "."
                           + (f" {getal(onderdrukt)} onderdrukte cellen (&lt;5) niet meegeteld." if onderdrukt else "")
                           + demo_tekst))
    return "".join(delen)


__all__ = ["arbeidsmarkt_panel", "NL"]
