"""The portrait as an A4 PDF, built on the server from the selection's bundle (reportlab +
matplotlib): the same sections as the page, in the same order, each with its source, page
numbers and, for demo data, a banner on every page. No internet needed."""

from __future__ import annotations

import html
import io
from pathlib import Path

from .. import rules
from ..format import aandeel, decimaal, getal, km, procent, verandering
from ..model.selectie import HORIZON, Selectie
from ..model.vergelijking import INDICATOREN
from ..store import schrijf_atomair
from . import grafiek, palet
from .panelen import IN_KERN, band_zinnen, bronnen_kort, rangorde, regelnamen, verandering_zin
from .sjabloon import profiel_naam

DEMO_TEKST = "DEMODATA – fictieve scholen: deze cijfers zijn verzonnen en alleen bedoeld om de app te laten zien."


def _stijlen():
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    s = getSampleStyleSheet()
    return {
        "titel": ParagraphStyle("titel", parent=s["Title"], fontSize=17, leading=21, alignment=0),
        "h2": ParagraphStyle("h2", parent=s["Heading2"], fontSize=12, leading=15, spaceBefore=8, spaceAfter=4),
        "tekst": ParagraphStyle("tekst", parent=s["BodyText"], fontSize=8.5, leading=11),
        "bron": ParagraphStyle("bron", parent=s["BodyText"], fontSize=7, leading=9, textColor=palet.BRON),
        "cel": ParagraphStyle("cel", parent=s["BodyText"], fontSize=7.5, leading=9),
        "kop": ParagraphStyle("kop", parent=s["BodyText"], fontSize=6.5, leading=7.5, fontName="Helvetica-Bold"),
        "banner": ParagraphStyle("banner", parent=s["BodyText"], fontSize=9, leading=12, backColor=palet.DEMO_ACHTERGROND,
                                 borderColor=palet.DEMO_RAND, borderWidth=0.8, borderPadding=4, spaceAfter=8),
    }


def _p(tekst: str, stijl):
    """A paragraph of plain text (reportlab reads markup: names like 'M&T' must be escaped); its
    line breaks are kept (a list typed one per line stays one per line)."""
    from reportlab.platypus import Paragraph

    return Paragraph(html.escape(str(tekst)).replace("\n", "<br/>"), stijl)


def _kopcel(tekst, rechts: bool):
    """A header cell that wraps inside its column (a string would run into its neighbour's)."""
    from reportlab.lib.enums import TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    if not isinstance(tekst, str):
        return tekst
    stijl = ParagraphStyle("kopcel", fontName="Helvetica-Bold", fontSize=7.5, leading=8.5,
                           alignment=TA_RIGHT if rechts else TA_LEFT)
    return Paragraph(html.escape(tekst), stijl)


def _tabel(rijen: list[list], kop: bool = True, breedtes=None, rechts_vanaf: int = 1):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    if kop and rijen:
        rijen = [[_kopcel(x, i >= rechts_vanaf) for i, x in enumerate(rijen[0])], *rijen[1:]]
    t = Table(rijen, colWidths=breedtes, repeatRows=1 if kop else 0, hAlign="LEFT")
    stijl = [("FONT", (0, 0), (-1, -1), "Helvetica", 7.5), ("ALIGN", (rechts_vanaf, 0), (-1, -1), "RIGHT"),
             ("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
             ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor(palet.REGIO_RAND))]
    if kop:
        stijl.append(("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 7.5))
    t.setStyle(TableStyle(stijl))
    return t


def a4_document(buf, titel: str, **meer):
    """An A4 document with the project's margins, in Dutch: the PDF says its language (/Lang), so
    a screen reader reads it as Dutch."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate

    return SimpleDocTemplate(buf, pagesize=A4, leftMargin=1.5 * cm, rightMargin=1.5 * cm, topMargin=1.4 * cm,
                             bottomMargin=1.4 * cm, title=titel, lang="nl-NL", **meer)


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
                self.setFillColor(palet.BRON)
                self.drawString(42, 24, voet[:150])
                self.drawRightString(A4[0] - 42, 24, f"pagina {self._pageNumber} van {totaal}")
                if demo:
                    self.setFillColor(palet.DEMO_TEKST)
                    self.setFont("Helvetica-Bold", 8)
                    self.drawString(42, A4[1] - 26, DEMO_TEKST)
                super().showPage()
            super().save()

    return Canvas


def bron_leerlingen(s: Selectie) -> str:
    tekst = (f"Bron: DUO, Leerlingen vo per vestiging naar onderwijstype ({', '.join(s.bronnen)}); teldatum "
             f"{s.teldatum} (1 oktober {s.jaar}). Indeling: {s.indeling['label']}.")
    if s.kern.onderdrukt:
        tekst += f" {getal(s.kern.onderdrukt)} onderdrukte cellen (<5) niet meegeteld."
    return tekst


def kaart_png(s: Selectie, lagen, scholen) -> bytes:
    """The static map as PNG bytes (the PDF and the static site share one drawing)."""
    return grafiek.png(grafiek.kaart(lagen, scholen, [r["regionummer"] for r in s.regios],
                                     None if s.landelijk else s.codes))


def _sectie(titel: str, st, *inhoud, samen: bool = False):
    """A heading kept together with the first thing under it (no heading alone at the foot of a
    page); the rest flows on, so no page is left half empty. `samen`: a short section kept
    whole, so its source line never ends up alone on the last page."""
    from reportlab.platypus import KeepTogether

    inhoud = list(inhoud)
    if samen:
        return [KeepTogether([_p(titel, st["h2"]), *inhoud])]
    return [KeepTogether([_p(titel, st["h2"]), *inhoud[:1]]), *inhoud[1:]]


def _img(png: bytes, breedte_cm: float, hoogte_cm: float):
    from reportlab.lib.units import cm
    from reportlab.platypus import Image

    return Image(io.BytesIO(png), width=breedte_cm * cm, height=hoogte_cm * cm, kind="proportional")


def _kerntabel(rijen, st, cm, term: str):
    kop = ["regio", "naam", *rules.LEERWEGEN, "techniek", "aandeel", term, "met techniek"]
    return _tabel([kop] + [[str(nr), _p(naam, st["cel"]), *[getal(k.leerlingen[lw]) for lw in rules.LEERWEGEN],
                            getal(k.techniek), aandeel(k.techniekaandeel), rules.JA_NEE[k.techniekarm],
                            getal(k.vestigingen_met_techniek)] for nr, naam, k in rijen],
                  breedtes=[1.1 * cm, 3.7 * cm] + [1.2 * cm] * 5 + [1.5 * cm, 1.9 * cm, 1.9 * cm], rechts_vanaf=2)


def _prognose(s: Selectie, st, cm) -> list:
    p = s.prognose
    if p is None:
        return _sectie("Prognose", st, _p("Geen prognose: de data heeft geen reeks van minstens vier jaar.",
                                          st["tekst"]))
    delen = [_p(p.methode, st["tekst"])]
    for naam in p.getoond:
        r = p.reeksen[naam]
        delen.append(_img(grafiek.png(grafiek.reeks(r.historie, r.tot(HORIZON), r.label, interval=p.interval)),
                          14, 6))
    rijen = [["reeks", "jaar", "prognose", f"band ({round(100 * p.interval[0])}%–{round(100 * p.interval[1])}%)"]] + [
        [_p(p.reeksen[n].label, st["cel"]), str(x.jaar), getal(x.punt),
         f"{getal(x.onder)} – {getal(x.boven)}" if x.onder is not None else "geen band"]
        for n in p.getoond for x in p.reeksen[n].tot(HORIZON)]
    delen.append(_tabel(rijen, breedtes=[5 * cm, 1.6 * cm, 2.4 * cm, 4 * cm]))
    if p.leerlingen:
        rijen_lj = [["reeks", "jaar", "aantal", "band"]] + [
            [_p(r.label, st["cel"]), f"{t0} (telling)", getal(n0), ""] for r in p.leerlingen.values()
            for t0, n0 in r.historie.items()
        ] + [[_p(r.label, st["cel"]), str(x.jaar), getal(x.punt), f"{getal(x.onder)} – {getal(x.boven)}" if x.onder is not None
              else "geen band"] for n, r in p.leerlingen.items() for x in p.leerlingen_tot(n, HORIZON)]
        delen += [_p("Leerlingen in leerjaar 3-4", st["tekst"]),
                  _tabel(rijen_lj, breedtes=[5 * cm, 2.2 * cm, 2.4 * cm, 4 * cm]), _p(p.leerlingen_methode, st["tekst"])]
    fout = " ".join(f"Backtest {p.reeksen[r].label}, 3 jaar vooruit ({p.niveau}): gemiddeld {procent(f['mape'])} naast, "
                    f"{decimaal(f['ratio_best_baseline'])} x de beste basislijn." for r, f in p.backtest_h3.items() if f)
    delen += [_p(" ".join(band_zinnen(p)) + (" " + fout if fout else ""), st["tekst"]),
              _p(f"Som van {getal(p.vestigingen)} deelnemende vestigingen. Bron: DUO ({bronnen_kort(p.bronnen)}); "
                 f"laatste jaar met tellingen {p.oorsprong}." + (f" Bevolking: {p.bevolking}." if p.bevolking else ""),
                 st["bron"])]
    return _sectie("Prognose", st, *delen)


def _arbeidsmarkt(s: Selectie, st, cm) -> list:
    import pandas as pd

    am = s.arbeidsmarkt
    if am.leeg:
        return _sectie("Arbeidsmarkt", st, _p("Geen arbeidsmarktgegevens geladen. Ze zouden komen van CBS StatLine "
                                              "(banen en werkloosheid per arbeidsmarktregio), UWV (spanningsindicator) "
                                              "en DUO/ROA (doorstroom vmbo-mbo).", st["tekst"]))
    blok = []
    if am.regios:
        blok.append(_p("Arbeidsmarktregio('s), gewogen naar leerlingen: " + "; ".join(
            f"{r['naam']} ({r['code']}, {procent(r['gewicht'])})" for r in am.regios) + ".", st["tekst"]))
    t = am.per_gebied
    if not t.empty:
        rijen = [["gebied", "banen", "technische sectoren", "aandeel", "werkloosheid"]] + [
            [str(x.gebied), getal(x.banen), getal(x.techniek), procent(x.aandeel),
             "–" if pd.isna(x.pct) else getal(x.pct, 1) + "%"] for x in t.itertuples()]
        blok += [_tabel(rijen, breedtes=[5 * cm, 2.6 * cm, 3 * cm, 2 * cm, 2.4 * cm]),
                 _p(f"Bron: CBS StatLine; periode {', '.join(sorted(set(t['periode'].dropna().astype(str))))}. "
                    f"Technische sectoren: {rules.TECHNISCHE_SECTOREN_TEKST}.", st["bron"])]
    if not am.spanning.empty:
        rijen = [["beroepsklasse", *map(str, am.spanning.columns)]] + [
            [_p(str(k), st["cel"]), *["–" if pd.isna(w) else str(w) for w in r]] for k, r in am.spanning.iterrows()]
        blok += [_p("Spanning voor technische beroepen (UWV)", st["tekst"]), _tabel(rijen, rechts_vanaf=99),
                 _p(f"Bron: UWV spanningsindicator, periode {am.spanning.attrs.get('periode', '–')}.", st["bron"])]
    return _sectie("Arbeidsmarkt", st, *blok)


def _vergelijking(s: Selectie, st, cm) -> list:
    if s.vergelijking is None:
        return []
    v = s.vergelijking
    kop = ["", *[_p(str(naam), st["kop"]) for naam in v.index]]
    rijen = [kop] + [[_p(label, st["cel"]), *[
        aandeel(w) if k == "techniekaandeel" else (
            verandering(w, v.at[i, "trend_laag"], v.at[i, "trend_hoog"]) if k == "trend" else
            procent(w) if soort == "procent" else getal(w)) for i, w in v[k].items()]]
        for k, (label, soort) in INDICATOREN.items()]
    breedte = min(2.6, 10.5 / len(v.index))
    gekozen = {r["regionummer"] for r in s.regios}
    rang = rangorde(s, "techniekaandeel")
    plaatsen = "; ".join(f"regio {nr}: plaats {i} van {len(rang)}" for i, nr, *_ in rang if nr in gekozen)
    return _sectie("Vergelijking met andere regio's en het land", st,
                   _tabel(rijen, breedtes=[6.5 * cm] + [breedte * cm] * len(v.index)),
                   _p(f"Rangorde op techniekaandeel: {plaatsen}.", st["tekst"]),
                   _p(f"Bron: DUO, teldatum {s.teldatum}; indeling: {s.indeling['label']}. Trend: "
                      f"{s.vergelijking.attrs.get('trend', '')}. Prognose: {s.vergelijking.attrs.get('prognose', '')}.",
                      st["bron"]), samen=True)


def _dekking(s: Selectie, st, cm) -> list:
    """How far the young residents live from each technical profiel: the bundle's table."""
    if not s.dekking:
        return _sectie("Bereikbaarheid van de technische profielen", st, _p(
            "Geen inwoners per postcodegebied geladen. Ze zouden komen van CBS (inwoners per postcodegebied naar "
            "leeftijd) en GeoNames (het midden van elk postcodegebied).", st["tekst"]))
    b = s.dekking_bron
    rijen = [["profiel", "vestigingen", "mediaan", "90% binnen", *[f"<= {g} km" for g in b["grenzen_km"]]]] + [
        [rules.PROFIELNAMEN[d["profiel"]], getal(d["aanbieders"]) + (f" ({getal(d['aanbieders_in_selectie'])})"
                                                             if d["aanbieders_in_selectie"] is not None else ""),
         km(d["mediaan_km"]), km(d["p90_km"]), *[procent(d["binnen"][str(g)]) for g in b["grenzen_km"]]]
        for d in s.dekking]
    bron = s.dekking_toelichting()
    return _sectie("Bereikbaarheid van de technische profielen", st,
                   _tabel(rijen, breedtes=[5.2 * cm, 2.4 * cm, 1.7 * cm, 1.9 * cm] + [1.45 * cm] * 4),
                   _p(bron, st["bron"]))


def portret_pdf(s: Selectie, lagen, scholen, kaart: bytes | None = None) -> bytes:
    """The A4 PDF of bundle `s`; `lagen`/`scholen`: the context's map layers and school dots,
    `kaart`: the map PNG when the caller already drew it."""
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Spacer

    st = _stijlen()
    k = s.kern
    bron_ll = bron_leerlingen(s)
    verhaal = [_p(DEMO_TEKST, st["banner"])] if s.demo else []
    verhaal += [Paragraph(f"Regioportret Sterk Techniekonderwijs<br/>{html.escape(s.titel)}", st["titel"]),
                _p(f"Teldatum {s.teldatum}; indeling: {s.indeling['label']}.", st["tekst"]), Spacer(1, 4),
                _img(kaart or kaart_png(s, lagen, scholen), 16, 11)]
    kern = [["kerncijfer", "waarde"], *[[f"leerlingen {lw} leerjaar 3-4", getal(k.leerlingen[lw])]
                                       for lw in rules.LEERWEGEN],
            ["in technische profielen", getal(k.techniek)], ["techniekaandeel", aandeel(k.techniekaandeel)],
            [f"{rules.RONDES[s.definitie.ronde].arm_term} (regeling {s.definitie.ronde})", rules.JA_NEE[k.techniekarm]],
            *[[f"{rules.RONDES[n].arm_term} (regeling {n}: {aandeel(r['techniekaandeel'])})", rules.JA_NEE[r["techniekarm"]]]
              for n, r in k.per_ronde.items() if n != s.definitie.ronde and k.rondes_oneens],
            ["deelnemende vestigingen met techniek", f"{getal(k.vestigingen_met_techniek)} van {getal(k.vestigingen)}"]]
    verhaal += _sectie("Kerncijfers", st, _tabel(kern, breedtes=[7 * cm, 4 * cm]),
                       *[_p(f"{regelnamen(s)[n]}: {rules.JA_NEE[s.regel(n).uitkomst]}. {s.regel(n).toelichting}", st["tekst"])
                         for n in IN_KERN], *[_p(zin, st["tekst"]) for zin in s.toelichting()],
                       _p(bron_ll, st["bron"]))
    r_rijen = [["regel", "uitkomst", "toelichting"]] + [
        [regelnamen(s).get(r.regel, r.regel), rules.JA_NEE.get(r.uitkomst, str(r.uitkomst)) if isinstance(r.uitkomst, bool | None)
         else (getal(r.uitkomst) if isinstance(r.uitkomst, int | float) else str(r.uitkomst)),
         _p(r.toelichting, st["cel"])] for r in s.regels if r.regel not in IN_KERN]
    am_tekst = ", ".join(f"{a['naam']} ({a['code']}, {procent(a['gewicht'], 0)})" for a in s.arbeidsmarktregios) \
        or "onbekend (geen gebiedsindeling in de data)"
    verhaal += _sectie("Regels en budget", st, _tabel(r_rijen, breedtes=[3.4 * cm, 2.2 * cm, 11.4 * cm],
                                                      rechts_vanaf=99),
                       _p(f"Arbeidsmarktregio('s), gewogen naar leerlingen: {am_tekst}.", st["tekst"]),
                       _p(f"Regels volgens de regeling {s.definitie.ronde}. Bron regels: " + rules.BRON_REGELING + ".",
                          st["bron"]))
    if s.per_regio:
        titel = f"Per regio ({s.indeling['label']})" if s.landelijk else "Per geselecteerde regio"
        verhaal += _sectie(titel, st, _kerntabel(s.per_regio, st, cm, s.ronde.arm_term), _p(bron_ll, st["bron"]))
    t = s.profiel_x_leerweg
    rijen = [["profiel", *t.columns]] + [[profiel_naam(i), *[getal(x) for x in r]] for i, r in t.iterrows()]
    verhaal += _sectie("Leerlingen leerjaar 3-4 per profiel en leerweg", st,
                       _tabel(rijen, breedtes=[6.5 * cm] + [1.8 * cm] * len(t.columns)),
                       _img(grafiek.png(grafiek.profielen(k.profielen)), 15, 6.8), _p(bron_ll, st["bron"]))
    if not s.landelijk:
        rijen = [["vestiging", "naam", "plaats", "regio", *rules.LEERWEGEN, "techniek", "<5"]] + [
            [v.vestigingscode, _p(v.naam, st["cel"]), _p(v.plaats, st["cel"]),
             "–" if v.regionummer is None else str(v.regionummer), *[getal(v.leerlingen[lw]) for lw in rules.LEERWEGEN],
             getal(v.techniek_totaal), getal(v.onderdrukt)] for v in s.vestigingen]
        niet = (f" Niet meegeteld: {getal(len(s.niet_deelnemend))} vestiging(en) van de indeling zonder "
                "vmbo-leerlingen in leerjaar 3-4.") if s.niet_deelnemend else ""
        verhaal += _sectie(f"Deelnemende vestigingen (leerjaar 3-4): {getal(len(s.vestigingen))}", st,
                           _tabel(rijen, breedtes=[1.6 * cm, 4.6 * cm, 2.6 * cm, 1.0 * cm] + [1.15 * cm] * 6,
                                  rechts_vanaf=3), _p(bron_ll + niet, st["bron"]))
    verhaal += _dekking(s, st, cm)
    verhaal += _trend(s, st, cm)
    verhaal += _prognose(s, st, cm)
    verhaal += _arbeidsmarkt(s, st, cm)
    verhaal += _vergelijking(s, st, cm)
    buf = io.BytesIO()
    doc = a4_document(buf, f"Regioportret – {s.titel}", author="regioportret",
                      subject="Regioportret Sterk Techniekonderwijs")
    voet = f"Regioportret – {s.titel} – teldatum {s.teldatum}" + (" – DEMODATA" if s.demo else "")
    doc.build(verhaal, canvasmaker=_genummerd(s.demo, voet))
    return buf.getvalue()


def _trend(s: Selectie, st, cm) -> list:
    t = s.trend.leerlingen
    if len(t) > 1:
        rijen = [["jaar", *rules.LEERWEGEN, "totaal", "techniek", "aandeel"]] + [
            [str(j), *[getal(r[lw]) for lw in rules.LEERWEGEN], getal(r["totaal"]), getal(r["techniek"]),
             aandeel(r["techniekaandeel"])] for j, r in t.iterrows()]
        return _sectie("Trend", st, _img(grafiek.png(grafiek.reeks(t["techniek"].to_dict(), (), "Leerlingen in "
                                                                   "technische profielen, leerjaar 3-4")), 15, 5.2),
                       _tabel(rijen), *_verandering(s, st), _p("Bron: DUO, Leerlingen vo per vestiging naar onderwijstype, teldatum "
                                         "1 oktober van elk jaar.", st["bron"]))
    e = s.trend.examens
    if e is None or e.empty:
        return []
    delen = []
    if s.trend.techniek_examens:
        delen.append(_img(grafiek.png(grafiek.reeks(s.trend.techniek_examens, (), "Examenkandidaten vmbo, sector "
                                                    f"techniek (vanaf {s.trend.vergelijkbaar_vanaf})")), 15, 5.2))
    kolommen = list(e.columns)
    rijen = [["schooljaar", *["<5" if k == "onderdrukt" else k for k in kolommen]]] + [
        [str(j), *[getal(r[k]) for k in kolommen]] for j, r in e.iterrows()]
    vanaf = s.trend.vergelijkbaar_vanaf
    breuk = (f" Databreuk: tot {vanaf} staat een deel van de kandidaten bij geen sector ('onbekend'); sectorcijfers "
             "van die jaren zijn niet te vergelijken met latere jaren, het totaal wel." if vanaf and vanaf != e.index[0]
             else "")
    return _sectie("Trend", st, *delen, _tabel(rijen), *_verandering(s, st),
                   _p("Bron: DUO, Examenkandidaten en geslaagden vo per vestiging (schooljaren); de data heeft "
                      "leerlingen per profiel voor één jaar." + breuk, st["bron"]))


def _verandering(s: Selectie, st) -> list:
    zin = verandering_zin(s)
    return [_p(zin, st["tekst"])] if zin else []


def schrijf_pdf(inhoud: bytes, pad: Path) -> Path:
    return schrijf_atomair(Path(pad), inhoud)
