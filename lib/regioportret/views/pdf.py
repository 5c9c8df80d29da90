"""The portrait as an A4 PDF, built on the server from the data (reportlab + matplotlib):
title, static map, key figures, rules, tables, charts, forecast, labour market, sources,
page numbers and, for demo data, a banner on every page. No internet needed."""

from __future__ import annotations

import html
import io
import os
from pathlib import Path

import pandas as pd

from .. import rules
from ..format import getal, procent
from ..model import arbeidsmarkt as arbeidsmarktmodel
from ..model import prognoseportret
from ..model.regels import regels
from .kaart import KLEUR_OVERIG, KLEUR_TECHNIEK, kaartlagen
from .panelen import KLEUR_OVERIG as BALK_OVERIG
from .panelen import KLEUR_TECHNIEK as BALK_TECHNIEK
from .portret import JA_NEE

HORIZON = 5
DEMO_TEKST = "DEMODATA – fictieve scholen: deze cijfers zijn verzonnen en alleen bedoeld om de app te laten zien."


def _png(fig, dpi: int = 150) -> io.BytesIO:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    buf.seek(0)
    return buf


def kaart_figuur(ds, indeling, p):
    """Static map: the selected regions, gemeente outlines around them, their vestigingen."""
    import geopandas as gpd
    import matplotlib.pyplot as plt

    lagen = kaartlagen(ds, indeling)
    nummers = {r["regionummer"] for r in p.regios}
    fig, ax = plt.subplots(figsize=(6.6, 4.6))
    regios = gpd.GeoDataFrame.from_features(lagen.regios["features"], crs="EPSG:4326")
    gekozen = regios[regios["regionummer"].isin(nummers)] if nummers else regios
    (s, w), (n, e) = lagen.totaal if not nummers else (
        [min(lagen.grenzen[x][0][0] for x in nummers), min(lagen.grenzen[x][0][1] for x in nummers)],
        [max(lagen.grenzen[x][1][0] for x in nummers), max(lagen.grenzen[x][1][1] for x in nummers)])
    marge = max(n - s, e - w) * 0.08 + 0.02
    if lagen.gemeenten:
        gem = gpd.GeoDataFrame.from_features(lagen.gemeenten["features"], crs="EPSG:4326")
        gem.cx[w - marge:e + marge, s - marge:n + marge].boundary.plot(ax=ax, color="#c8ced6", linewidth=0.4)
    regios.boundary.plot(ax=ax, color="#8aa0b8", linewidth=0.5)
    gekozen.plot(ax=ax, color="#2b6cb0", alpha=0.12, edgecolor="#2b4a6f", linewidth=1.2)
    loc = ds.locaties
    if loc is not None:
        t = p.tabel
        tech = set(t.loc[t["profiel"].isin(rules.TECHNISCHE_PROFIELEN), "vestigingscode"])
        v = loc[loc["vestigingscode"].isin(t["vestigingscode"])]
        kleur = [KLEUR_TECHNIEK if c in tech else KLEUR_OVERIG for c in v["vestigingscode"]]
        ax.scatter(v["lon"], v["lat"], s=[22 if c in tech else 10 for c in v["vestigingscode"]], c=kleur,
                   edgecolors="white", linewidths=0.5, zorder=3)
    for lab in lagen.labels:
        if not nummers or lab["regionummer"] in nummers:
            ax.annotate(str(lab["regionummer"]), (lab["lon"], lab["lat"]), ha="center", va="center", fontsize=8,
                        fontweight="bold", color="#1b2a3a",
                        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#2b4a6f", "lw": 0.6, "alpha": 0.85})
    ax.set_xlim(w - marge, e + marge)
    ax.set_ylim(s - marge, n + marge)
    ax.set_aspect(1 / 0.62)  # ~cos(52°): degrees of longitude are shorter than of latitude here
    ax.axis("off")
    ax.set_title("Regio('s) en vestigingen (oranje: met technisch profiel)", fontsize=9)
    return fig


def profiel_figuur(p):
    """Bars per profiel, as in the dashboard: the five technical ones in blue."""
    import matplotlib.pyplot as plt

    prof = p.profielen()
    codes = list(prof)[::-1]
    fig, ax = plt.subplots(figsize=(6.4, 2.9))
    ax.barh([rules.PROFIEL_AFKORTING[c] for c in codes], [prof[c] for c in codes],
            color=[BALK_TECHNIEK if c in rules.TECHNISCHE_PROFIELEN else BALK_OVERIG for c in codes])
    for i, c in enumerate(codes):
        ax.text(prof[c], i, " " + getal(prof[c]), va="center", fontsize=7)
    ax.xaxis.set_major_formatter(lambda x, _: getal(x))
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title("Leerlingen leerjaar 3-4 per profiel (blauw: technisch)", fontsize=9)
    return fig


def trend_figuur(jaren: list[int], waarden: list[float], titel: str):
    """The dashboard's trend line (technical students or candidates per year)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 2.2))
    ax.plot(jaren, waarden, color=BALK_TECHNIEK, linewidth=2, marker="o", markersize=3)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(lambda x, _: getal(x))
    ax.set_xticks(jaren)
    ax.tick_params(labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(titel, fontsize=9)
    return fig


def _trend(ds, p, st, cm, basis_trend=None):
    """Trend section: leerjaar 3-4 per year when the data has several years, else the exam series.
    `basis_trend`: model.trend.trend_basis of the data, when the caller has it already."""
    from reportlab.platypus import Image

    from ..model.portret import bovenbouw
    from ..model.trend import examenkandidaten_per_sector, leerlingen_trend, trend_basis

    vest = None if p.landelijk else p.tabel["vestigingscode"].unique().tolist()
    delen = [_p("Trend", st["h2"])]
    if len(ds.jaren) > 1:
        if basis_trend is None:
            basis_trend = trend_basis(bovenbouw(ds), rules.TECHNISCHE_PROFIELEN)
        t = leerlingen_trend(basis_trend, vest)
        jaren = [int(j) for j in t.index]
        delen.append(Image(_png(trend_figuur(jaren, list(t["techniek"]), "Leerlingen in technische profielen, "
                                             "leerjaar 3-4")), width=15 * cm, height=5.2 * cm, kind="proportional"))
        rijen = [["jaar", *rules.LEERWEGEN, "totaal", "techniek", "aandeel"]] + [
            [str(j), *[getal(r[k]) for k in rules.LEERWEGEN], getal(r["totaal"]), getal(r["techniek"]),
             procent(r["techniekaandeel"])] for j, r in t.iterrows()]
        delen += [_tabel(rijen), _p("Bron: DUO, Leerlingen vo per vestiging naar onderwijstype, teldatum 1 oktober "
                                    "van elk jaar.", st["bron"])]
    elif ds.examens is not None:
        t = examenkandidaten_per_sector(ds.examens, vest)  # it keeps the vmbo rows itself
        if "techniek" in t:
            delen.append(Image(_png(trend_figuur([int(s[:4]) for s in t.index], list(t["techniek"]),
                                                 "Examenkandidaten vmbo, sector techniek")),
                               width=15 * cm, height=5.2 * cm, kind="proportional"))
        kolommen = [k for k in t.columns if k != "onderdrukt"]
        rijen = [["schooljaar", *kolommen]] + [[str(s), *[getal(r[k]) for k in kolommen]] for s, r in t.iterrows()]
        delen += [_tabel(rijen), _p("Bron: DUO, Examenkandidaten en geslaagden vo per vestiging (schooljaren); "
                                    "de data heeft leerlingen per profiel voor één jaar.", st["bron"])]
    return delen


def _stijlen():
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    s = getSampleStyleSheet()
    return {
        "titel": ParagraphStyle("titel", parent=s["Title"], fontSize=17, leading=21, alignment=0),
        "h2": ParagraphStyle("h2", parent=s["Heading2"], fontSize=12, leading=15, spaceBefore=8, spaceAfter=4),
        "tekst": ParagraphStyle("tekst", parent=s["BodyText"], fontSize=8.5, leading=11),
        "bron": ParagraphStyle("bron", parent=s["BodyText"], fontSize=7, leading=9, textColor="#555555"),
        "cel": ParagraphStyle("cel", parent=s["BodyText"], fontSize=7.5, leading=9),
        "banner": ParagraphStyle("banner", parent=s["BodyText"], fontSize=9, leading=12, backColor="#fff3cd",
                                 borderColor="#e0b400", borderWidth=0.8, borderPadding=4, spaceAfter=8),
    }


def _p(tekst: str, stijl):
    """A paragraph of plain text (reportlab reads markup: names like 'M&T' must be escaped)."""
    from reportlab.platypus import Paragraph

    return Paragraph(html.escape(str(tekst)), stijl)


def _tabel(rijen: list[list], kop: bool = True, breedtes=None, rechts_vanaf: int = 1):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    t = Table(rijen, colWidths=breedtes, repeatRows=1 if kop else 0, hAlign="LEFT")
    stijl = [("FONT", (0, 0), (-1, -1), "Helvetica", 7.5), ("ALIGN", (rechts_vanaf, 0), (-1, -1), "RIGHT"),
             ("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
             ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#2b4a6f"))]
    if kop:
        stijl.append(("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 7.5))
    t.setStyle(TableStyle(stijl))
    return t


def _genummerd(demo: bool, voet: str):
    """A canvas that writes 'pagina X van Y' (two passes) and the demo banner on every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    class Canvas(canvas.Canvas):
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            self._paginas = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._paginas.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            totaal = len(self._paginas)
            for staat in self._paginas:
                self.__dict__.update(staat)
                self.setFont("Helvetica", 7)
                self.setFillColor("#555555")
                self.drawString(42, 24, voet[:150])
                self.drawRightString(A4[0] - 42, 24, f"pagina {self._pageNumber} van {totaal}")
                if demo:
                    self.setFillColor("#b7791f")
                    self.setFont("Helvetica-Bold", 8)
                    self.drawString(42, A4[1] - 26, DEMO_TEKST)
                super().showPage()
            super().save()

    return Canvas


def kaart_png(ds, indeling, p) -> bytes:
    """The static map as PNG bytes (the PDF and the static site share one drawing)."""
    return _png(kaart_figuur(ds, indeling, p)).getvalue()


def portret_pdf(ds, indeling, p, kaart: bytes | None = None, trend=None) -> bytes:
    """The A4 PDF of portrait `p` (one or more regions, or the country); `kaart`: the map PNG
    and `trend`: model.trend.trend_basis, when the caller already has them."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        Image,
        KeepTogether,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
    )

    st = _stijlen()
    wie = "; ".join(f"Regio {r['regionummer']} – {r['regionaam']}" for r in p.regios) or "Alle vestigingen in de data"
    bron_ll = (f"Bron: DUO, Leerlingen vo per vestiging naar onderwijstype ({', '.join(p.bronnen)}); teldatum "
               f"{p.teldatum} (1 oktober {p.jaar}). Indeling: {p.indeling.label}.")
    if p.onderdrukt():
        bron_ll += f" {getal(p.onderdrukt())} onderdrukte cellen (<5) niet meegeteld."
    verhaal = []
    if p.demo:
        verhaal.append(_p(DEMO_TEKST, st["banner"]))
    verhaal += [Paragraph(f"Regioportret Sterk Techniekonderwijs<br/>{html.escape(wie)}", st["titel"]),
                _p(f"Teldatum {p.teldatum}; indeling: {p.indeling.label}.", st["tekst"]), Spacer(1, 4)]
    verhaal.append(Image(io.BytesIO(kaart or kaart_png(ds, indeling, p)), width=16 * cm, height=11 * cm,
                         kind="proportional"))
    # key figures
    lw = p.leerlingen()
    kern = [["kerncijfer", "waarde"], *[[f"leerlingen {k} leerjaar 3-4", getal(lw[k])] for k in rules.LEERWEGEN],
            ["in technische profielen", getal(p.techniek())], ["techniekaandeel", procent(p.techniekaandeel())],
            ["techniekarm", JA_NEE[p.techniekarm()]],
            ["vestigingen met techniek", f"{getal(p.vestigingen_met_techniek())} van {getal(p.vestigingen())}"]]
    verhaal += [_p("Kerncijfers", st["h2"]), _tabel(kern, breedtes=[7 * cm, 4 * cm]),
                _p(bron_ll, st["bron"])]
    # rules
    r_rijen = [["regel", "uitkomst", "toelichting"]] + [
        [r.regel.replace("_", " "), JA_NEE.get(r.uitkomst, str(r.uitkomst)) if isinstance(r.uitkomst, bool | None)
         else (getal(r.uitkomst) if isinstance(r.uitkomst, int | float) else str(r.uitkomst)),
         _p(r.toelichting, st["cel"])] for r in regels(p)]
    verhaal += [_p("Regels van de regeling", st["h2"]),
                _tabel(r_rijen, breedtes=[3.4 * cm, 2.2 * cm, 11.4 * cm], rechts_vanaf=99),
                _p(f"Bron regels: {rules.BRON_REGELING}. Budget: {rules.BRON_BUDGET}.", st["bron"]),
                PageBreak()]
    # profielen
    t = p.profiel_x_leerweg()
    t["totaal"] = t.sum(axis=1)
    rijen = [["profiel", *rules.LEERWEGEN, "totaal"]] + [
        [f"{rules.PROFIEL_AFKORTING.get(i, i)} {rules.PROFIELEN.get(i, '')}".strip() if i in rules.PROFIELEN else i,
         *[getal(x) for x in r]] for i, r in t.iterrows()]
    verhaal += [_p("Leerlingen leerjaar 3-4 per profiel en leerweg", st["h2"]),
                _tabel(rijen, breedtes=[6.5 * cm] + [1.8 * cm] * 5),
                Image(_png(profiel_figuur(p)), width=15 * cm, height=6.8 * cm, kind="proportional"),
                _p(bron_ll, st["bron"])]
    # per vestiging
    pv = p.per_vestiging()
    rijen = [["vestiging", "naam", "plaats", "regio", *rules.LEERWEGEN, "techniek", "<5"]] + [
        [r.vestigingscode, _p(str(r.vestigingsnaam), st["cel"]), _p(str(r.plaatsnaam), st["cel"]),
         "–" if pd.isna(r.regionummer) else str(int(r.regionummer)), *[getal(getattr(r, k)) for k in rules.LEERWEGEN],
         getal(r.techniek), getal(r.onderdrukt)] for r in pv.itertuples()]

    verhaal += [_p("Per vestiging (leerjaar 3-4)", st["h2"]),
                _tabel(rijen, breedtes=[1.6 * cm, 4.6 * cm, 2.6 * cm, 1.0 * cm] + [1.15 * cm] * 6, rechts_vanaf=3),
                _p(bron_ll, st["bron"])]
    verhaal.append(KeepTogether(_trend(ds, p, st, cm, trend)))
    # forecast
    verhaal.append(_p("Prognose", st["h2"]))
    b = prognoseportret.basis(ds, indeling)
    if b is None:
        verhaal.append(_p("Geen prognose: de data heeft geen reeks van minstens vier jaar.", st["tekst"]))
    else:
        from .prognose import BAND_TEKST, bronnen_kort, prognose_grafiek

        vest = None if p.landelijk else p.tabel["vestigingscode"].unique().tolist()
        pr = prognoseportret.prognose(b, vest)
        rs = [b.hoofdreeks] + (["techniek"] if b.soort == "leerlingen" else [])
        verhaal.append(_p(b.methode, st["tekst"]))
        for r in rs:
            verhaal.append(Image(_png(prognose_grafiek(pr, r, HORIZON)), width=14 * cm, height=6.6 * cm,
                                 kind="proportional"))
        tab = pr.tabel[pr.tabel["reeks"].isin(rs) & (pr.tabel["h"] <= HORIZON)]
        rijen = [["reeks", "jaar", "prognose", "band (10%–90%)"]] + [
            [prognoseportret.reeks_label(x.reeks), str(x.jaar), getal(x.punt), f"{getal(x.onder)} – {getal(x.boven)}"]
            for x in tab.itertuples()]
        fout = pr.fout(3)
        verhaal += [_tabel(rijen, breedtes=[5 * cm, 1.6 * cm, 2.4 * cm, 4 * cm]),
                    _p(BAND_TEKST + (f" Backtest, 3 jaar vooruit ({pr.niveau}): MAPE {procent(fout['mape'])}, "
                                            f"{fout['ratio_best_baseline']:.2f} x de beste basislijn.".replace(".", ",", 1)
                                            if fout else ""), st["tekst"]),
                    _p(f"Bron: DUO ({bronnen_kort(b.bronnen)}); laatste jaar met tellingen {b.oorsprong}.",
                              st["bron"])]
    # labour market
    am = arbeidsmarktmodel.beeld(ds, p)
    blok = [_p("Arbeidsmarkt", st["h2"])]
    if am.leeg:
        blok.append(_p("Geen arbeidsmarktgegevens geladen. " + arbeidsmarktmodel.FETCH_TEKST, st["tekst"]))
    else:
        if am.regios:
            blok.append(_p("Arbeidsmarktregio('s), gewogen naar leerlingen: " + "; ".join(
                f"{r['naam']} ({r['code']}, {procent(r['gewicht'])})" for r in am.regios) + ".", st["tekst"]))
        t = am.banen.merge(am.werkloosheid[["code", "pct"]], on="code", how="outer")
        if not t.empty:
            rijen = [["gebied", "banen", "technische sectoren", "aandeel", "werkloosheid"]] + [
                [str(x.gebied), getal(x.banen), getal(x.techniek), procent(x.aandeel),
                 "–" if pd.isna(x.pct) else f"{x.pct:.1f}%".replace(".", ",")] for x in t.itertuples()]
            blok += [_tabel(rijen, breedtes=[5 * cm, 2.6 * cm, 3 * cm, 2 * cm, 2.4 * cm]),
                     _p(f"Bron: CBS StatLine; periode {', '.join(sorted(set(t['periode'].dropna().astype(str))))}. "
                               f"Technische sectoren: {rules.TECHNISCHE_SECTOREN_TEKST}.", st["bron"])]
        if not am.spanning.empty:
            rijen = [["beroepsklasse", *map(str, am.spanning.columns)]] + [
                [_p(str(k), st["cel"]), *["–" if pd.isna(w) else str(w) for w in r]]
                for k, r in am.spanning.iterrows()]
            blok += [_p("Spanning voor technische beroepen (UWV)", st["tekst"]), _tabel(rijen, rechts_vanaf=99),
                     _p(f"Bron: UWV spanningsindicator, periode {am.spanning.attrs.get('periode', '–')}.",
                               st["bron"])]
    verhaal.append(KeepTogether(blok[:3]))
    verhaal += blok[3:]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=1.5 * cm, rightMargin=1.5 * cm, topMargin=1.4 * cm,
                            bottomMargin=1.4 * cm, title=f"Regioportret – {wie}", author="regioportret",
                            subject="Regioportret Sterk Techniekonderwijs")
    voet = f"Regioportret – {wie} – teldatum {p.teldatum}" + (" – DEMODATA" if p.demo else "")
    doc.build(verhaal, canvasmaker=_genummerd(p.demo, voet))
    return buf.getvalue()


def schrijf_pdf(inhoud: bytes, pad: Path) -> Path:
    pad = Path(pad)
    pad.parent.mkdir(parents=True, exist_ok=True)
    tmp = pad.with_name(f".{pad.name}.{os.getpid()}.tmp")
    tmp.write_bytes(inhoud)
    os.replace(tmp, pad)
    return pad
