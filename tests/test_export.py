"""Exports: the A4 PDF carries the package's figures, the workbook's totals equal the package's,
suppressed cells stay '<5' and no total lets anyone work them out."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from pypdf import PdfReader

from hulp import DEMO, geheel, lees_csv, pdf_tekst
from regioportret import cli
from regioportret.format import aandeel, getal
from regioportret.views.export import (
    KOLOM_BEKEND,
    KOLOM_ONDERDRUKT,
    ONDERDRUKT,
    xlsx_bytes,
)
from regioportret.views.pdf import portret_html, portret_pdf

A4 = (595.28, 841.89)


@pytest.fixture(scope="module")
def demo(demo_ctx):
    return demo_ctx, demo_ctx.selectie([12, 14])


@pytest.fixture(scope="module")
def werkmap(demo):
    ctx, s = demo
    inhoud = xlsx_bytes(ctx.aantallen(s))
    return {k: v for k, v in pd.read_excel(io.BytesIO(inhoud), sheet_name=None, dtype={"aantal": str}).items()}


def test_pdf_a4_met_de_cijfers_van_het_pakket(demo):
    """The PDF prints the page's panels: every key figure, the sections, page numbers and, for
    demo data, the banner on every page."""
    ctx, s = demo
    r = PdfReader(io.BytesIO(portret_pdf(s, ctx.kaartlagen, ctx.scholen)))
    assert len(r.pages) >= 3
    for pagina in r.pages:
        assert (float(pagina.mediabox.width), float(pagina.mediabox.height)) == pytest.approx(A4, abs=0.5)
    tekst = [pg.extract_text() for pg in r.pages]
    alles = " ".join("\n".join(tekst).split())  # table cells come out one per line
    assert "Regio 12 – Friesland; Regio 14 – IJssel-Vecht" in tekst[0]
    lw = s.kern.leerlingen
    for k in ("BB", "KB", "GL", "TL"):
        assert f"{getal(lw[k])} leerlingen {k} lj 3-4" in alles
    assert f"{aandeel(s.kern.techniekaandeel)} techniekaandeel" in alles
    assert f"teldatum {s.teldatum}" in alles and "Bron: DUO" in alles
    assert all(f"pagina {i} van {len(r.pages)}" in t for i, t in enumerate(tekst, start=1))
    assert all("DEMODATA – fictieve scholen" in t for t in tekst)  # the demo banner on every page
    for code in s.codes:
        assert code in alles
    for kop in ("Per geselecteerde regio", "Prognose", "Arbeidsmarkt", "techniekluw (regeling 2025-2028)",
                "Regels en budget volgens de Subsidieregeling sterk techniekonderwijs 2025-2028",
                "Vergelijking met andere regio's en het land", "Bereikbaarheid van de technische profielen"):
        assert kop in alles, kop


def test_xlsx_totalen_gelijk_aan_het_pakket(demo, werkmap):
    _, s = demo
    pv = werkmap["Per vestiging"]
    per_lw = pv.groupby("leerweg")[KOLOM_BEKEND].sum().to_dict()
    assert {k: per_lw.get(k, 0) for k in s.kern.leerlingen} == s.kern.leerlingen
    assert int(pv[KOLOM_ONDERDRUKT].sum()) == s.kern.onderdrukt
    assert (werkmap["Cellen"]["aantal"] == ONDERDRUKT).sum() == s.kern.onderdrukt
    pxl = werkmap["Profiel x leerweg"]
    assert pxl[KOLOM_BEKEND].sum() == s.kern.leerlingen_totaal
    assert set(werkmap["Bronnen"]["onderdeel"]) >= {"teldatum", "bron", "onderdrukking", "demodata"}


def test_onderdrukte_cellen_niet_terug_te_rekenen(demo, werkmap):
    """Every sum equals the sum of its *known* cells: subtracting them leaves 0, never the
    value of a suppressed cell."""
    c = werkmap["Cellen"].copy()
    c["bekend"] = pd.to_numeric(c["aantal"].where(c["aantal"] != ONDERDRUKT), errors="coerce").fillna(0)
    c["onderdrukt"] = c["aantal"] == ONDERDRUKT
    sleutel = ["vestigingscode", "leerweg", "profiel", "leerjaar"]
    zelf = c.groupby(sleutel).agg(bekend=("bekend", "sum"), onderdrukt=("onderdrukt", "sum"))
    pv = werkmap["Per vestiging"].set_index(sleutel)
    assert (pv[KOLOM_BEKEND] == zelf["bekend"].reindex(pv.index)).all()
    assert (pv[KOLOM_ONDERDRUKT] == zelf["onderdrukt"].reindex(pv.index)).all()
    assert (zelf["onderdrukt"] > 0).any()  # the demo has suppressed cells, so this test can fail
    # no numeric column anywhere holds a value a suppressed cell was written as
    for naam, blad in werkmap.items():
        if naam != "Bronnen":
            assert ONDERDRUKT not in blad.drop(columns=[k for k in ("aantal",) if k in blad]).astype(str).values


def test_cellen_gelijk_aan_het_ruwe_bestand(demo, werkmap):
    """The cell sheet equals DUO's raw 2024 file, read independently (numbers and '<5')."""
    ruw = lees_csv(DEMO / "duo" / "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2024.csv", "utf-8")
    from collections import Counter

    leerweg = {"VMBO BL lj 3-4": "BB", "VMBO KL lj 3-4": "KB", "VMBO GL lj 3-4": "GL", "VMBO TL lj 3-4": "TL"}
    code = "90GQ00"
    verwacht = Counter()
    for r in ruw:
        lw = leerweg.get(r["ONDERWIJSTYPE VO EN LEER- OF VERBLIJFSJAAR"])
        if r["VESTIGINGSCODE"] != code or lw is None:
            continue
        for lj in (3, 4):
            for g, naam in (("MAN", "man"), ("VROUW", "vrouw")):
                w = r[f"LEER- OF VERBLIJFSJAAR {lj} - {g}"]
                if w not in ("", "0"):
                    verwacht[(lw, r["AFDELING"], lj, naam, w if w == ONDERDRUKT else str(geheel(w)))] += 1
    c = werkmap["Cellen"]
    c = c[c["vestigingscode"] == code]
    gevonden = Counter((lw, a, int(lj), g, str(n)) for lw, a, lj, g, n in zip(
        c["leerweg"], c["afdeling (DUO)"], c["leerjaar"], c["geslacht"], c["aantal"], strict=True) if str(n) != "0")
    assert gevonden == verwacht and verwacht


KEUZE_KOLOMMEN = ["vestigingscode", "leerweg", "onderwijstype (DUO)", "afdeling (DUO)", "opleiding (DUO)", "leerjaar",
                  "geslacht"]


def test_cellen_hebben_elk_een_eigen_sleutel(werkmap):
    """Every cell of the exact-count download is told apart by DUO's own key columns (onderwijstype
    tells LWOO from regular, opleiding the programmes of one afdeling): no two rows share them."""
    c = werkmap["Cellen"]
    assert not c.duplicated(KEUZE_KOLOMMEN).any()


def test_cellen_uniek_op_de_echte_data(real_data):
    from regioportret.context import open_context

    ctx = open_context(real_data)
    s = ctx.selectie([12])
    c = ctx.aantallen(s)["Cellen"]
    oud = ["vestigingscode", "leerweg", "afdeling (DUO)", "leerjaar", "geslacht"]
    assert c.duplicated(oud, keep=False).sum() > 0  # the keys the sheet had: rows that looked the same
    assert not c.duplicated(KEUZE_KOLOMMEN).any()


def test_cli_render_en_export(tmp_path, capsys):
    assert cli.main(["render", "--regio", "12", "--pdf", str(tmp_path / "r.pdf")]) == 0
    assert PdfReader(str(tmp_path / "r.pdf")).pages
    assert cli.main(["export", "--regio", "12", "--xlsx", str(tmp_path / "r.xlsx"), "--csv", str(tmp_path / "csv")]) == 0
    assert set(pd.read_excel(tmp_path / "r.xlsx", sheet_name=None)) == {"Cellen", "Per vestiging",
                                                                        "Profiel x leerweg", "Niet ingedeeld", "Bronnen"}
    assert (tmp_path / "csv" / "cellen.csv").exists()
    assert not list(tmp_path.glob(".*tmp"))
    assert cli.main(["export", "--regio", "12"]) == 1
    assert "--xlsx" in capsys.readouterr().err
    assert cli.main(["render", "--regio", "999", "--pdf", str(tmp_path / "x.pdf")]) == 1
    assert not (tmp_path / "x.pdf").exists()


def test_statische_site_links_kloppen_en_offline(demo, tmp_path):
    import re

    from regioportret.views.site import render_alles

    ctx, _ = demo
    out = render_alles(ctx, tmp_path / "site", voortgang=False, werkers=2)
    nummers = [int(n) for n in ctx.indeling.regios["regionummer"]]
    assert {f"regio-{n}.{x}" for n in nummers for x in ("html", "pdf")} <= {f.name for f in out.iterdir()}
    for pagina in out.glob("*.html"):
        tekst = pagina.read_text(encoding="utf-8")
        doelen = re.findall(r"""(?:href|src)=['"]([^'"#]+)['"]""", tekst)
        assert doelen, pagina.name
        for doel in doelen:
            assert not re.match(r"^(https?:)?//", doel), f"{pagina.name} haalt {doel} van internet"
            assert (out / doel).is_file(), f"{pagina.name}: link {doel} bestaat niet"
        assert "<script" not in tekst  # plain pages: nothing to load, nothing to run
    index = (out / "index.html").read_text(encoding="utf-8")
    for n in nummers:
        assert f">{ctx.indeling.naam(n)}</a>" in index.replace("&#39;", "'").replace("&#x27;", "'")
    r = PdfReader(str(out / "regio-12.pdf"))
    assert (float(r.pages[0].mediabox.width), float(r.pages[0].mediabox.height)) == pytest.approx(A4, abs=0.5)
    assert not list(tmp_path.glob(".site*"))  # the temporary folder was swapped in


FORMULE = '=HYPERLINK("http://voorbeeld.invalid","klik")'


def _formules(xlsx: bytes) -> list[str]:
    """Every formula cell in a workbook, read from its XML (what a spreadsheet would run)."""
    import zipfile

    z = zipfile.ZipFile(io.BytesIO(xlsx))
    return [n for n in z.namelist() if n.startswith("xl/worksheets/") and "<f>" in z.read(n).decode()]


def test_geen_formules_in_downloads(raw, tmp_path):
    """A vestiging whose name starts with '=' (or '+', '-', '@') comes out as text in the Excel
    download (dashboard and export --xlsx use the same writer) and behind a "'" in the CSVs."""
    import csv

    for pad in raw.glob("01.-leerlingen-vo-per-vestiging-naar-onderwijstype-*.csv"):  # every year's file
        try:
            tekst, enc = pad.read_text(encoding="utf-8"), "utf-8"
        except UnicodeDecodeError:
            tekst, enc = pad.read_text(encoding="cp1252"), "cp1252"
        regels = tekst.splitlines()
        kop = [k.strip('"') for k in regels[0].split(";")]
        i = kop.index("INSTELLINGSNAAM VESTIGING")
        oud = regels[1].split(";")[i]
        nieuw = f'"{FORMULE.replace(chr(34), chr(34) * 2)}"' if oud.startswith('"') else FORMULE
        pad.write_text("\n".join(r.replace(f";{oud};", f";{nieuw};") for r in regels) + "\n", encoding=enc)
    assert cli.main(["export", "--data", str(raw), "--xlsx", str(tmp_path / "a.xlsx"), "--csv",
                     str(tmp_path / "csv")]) == 0
    xlsx = (tmp_path / "a.xlsx").read_bytes()
    assert FORMULE in pd.read_excel(io.BytesIO(xlsx), sheet_name="Cellen")["vestigingsnaam"].tolist()
    assert _formules(xlsx) == []
    with open(tmp_path / "csv" / "cellen.csv", encoding="utf-8") as f:
        namen = {r["vestigingsnaam"] for r in csv.DictReader(f, delimiter=";")}
    assert "'" + FORMULE in namen and FORMULE not in namen


def test_geen_formules_in_het_aanvraagformulier(demo_ctx):
    import dataclasses

    from regioportret.model.aanvraag import maak_aanvraag
    from regioportret.views.aanvraag import aanvraag_xlsx

    a = dataclasses.replace(maak_aanvraag(demo_ctx.selectie([12])), contactpersoon="=2+5", email="@x",
                            bedrijven=["+31 bouw", "-korting"], toelichting="\tintern")
    xlsx = aanvraag_xlsx(a)
    assert _formules(xlsx) == []
    waarden = set(pd.read_excel(io.BytesIO(xlsx), sheet_name="Aanvraag")["waarde"].astype(str))
    assert "=2+5" in waarden


def _koppen(html_tekst: str) -> list[str]:
    """Every table header's text in a document's HTML."""
    import html
    import re

    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", k)).split())
            for k in re.findall(r"<th\b[^>]*>(.*?)</th>", html_tekst, flags=re.S)]


def _botsende_koppen(html_tekst: str) -> list[str]:
    """Header words that do not come out of the PDF as a word of their own: a header that runs
    into its neighbour is read as one word ('techniekpenvoerder?')."""
    from regioportret.views.pdf import html_naar_pdf

    woorden = set(pdf_tekst(html_naar_pdf(html_tekst)).split())
    return [w for kop in _koppen(html_tekst) for w in kop.split() if w not in woorden]


def test_pdf_kolomkoppen_lopen_niet_in_elkaar(demo_ctx):
    """Under both rounds (techniekluw is the longer word), in the portrait and the form, every
    column header's words are words of their own in the PDF's text ('aandeel' ran into
    'techniekluw', 'techniek' into 'penvoerder?')."""
    from regioportret import rules
    from regioportret.model.aanvraag import maak_aanvraag
    from regioportret.views.aanvraag import aanvraag_html
    from regioportret.views.pdf import kaart_png

    for definitie in rules.DEFINITIES:
        s = demo_ctx.selectie([12, 21], definitie=definitie)
        html_tekst = portret_html(s, kaart_png(s, demo_ctx.kaartlagen, demo_ctx.scholen))
        assert len(_koppen(html_tekst)) > 40 and _botsende_koppen(html_tekst) == []
        a = maak_aanvraag(demo_ctx.selectie([21], definitie=definitie))
        assert "penvoerder" in " ".join(_koppen(aanvraag_html(a)))
        assert _botsende_koppen(aanvraag_html(a)) == []


def test_botsende_koppen_worden_gevonden(demo_ctx):
    """The check above can fail: a table whose columns are too narrow for their headers (the
    reportlab PDF's fault) is caught."""
    from regioportret.views.sjabloon import render

    tabel = ('<table style="table-layout:fixed;width:6cm"><tr><th style="width:2cm;white-space:nowrap">techniek'
             'aandeel</th><th style="width:2cm;white-space:nowrap">penvoerder?</th><th>BB</th></tr></table>')
    html_tekst = render("document.html", titel="proef", demo=False, voet="", onderwerp="", kop="proef") \
        .replace("<main>", "<main>" + tabel)
    assert "penvoerder?" in _botsende_koppen(html_tekst)


def _laatste_pagina_regels(ctx, nr: int) -> int:
    pdf = portret_pdf(ctx.selectie([nr]), ctx.kaartlagen, ctx.scholen)
    return len(PdfReader(io.BytesIO(pdf)).pages[-1].extract_text().splitlines())


def test_geen_bijna_lege_laatste_pagina(demo_ctx):
    """No portrait ends on a page with a lone source line (region 12 of the real data did: 4 lines,
    footer included): a short closing section moves whole."""
    for nr in demo_ctx.indeling.regios["regionummer"]:
        assert _laatste_pagina_regels(demo_ctx, int(nr)) >= 10, nr


def test_geen_bijna_lege_laatste_pagina_echte_data(real_data):
    from regioportret.context import open_context

    ctx = open_context(real_data)
    for nr in (12, 18, 24):
        assert _laatste_pagina_regels(ctx, nr) >= 10, nr


def test_pdfs_zeggen_dat_ze_nederlands_zijn(demo):
    """Both PDFs name their language (the catalog's /Lang), so a screen reader reads them as Dutch."""
    from regioportret.model.aanvraag import maak_aanvraag
    from regioportret.views.aanvraag import aanvraag_pdf

    ctx, s = demo
    for pdf in (portret_pdf(s, ctx.kaartlagen, ctx.scholen), aanvraag_pdf(maak_aanvraag(ctx.selectie([12])))):
        assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "nl"


def test_zonder_pdf_bibliotheek_een_nederlandse_melding(monkeypatch):
    """Without WeasyPrint (or its Pango library) a PDF download says what is missing, in Dutch,
    instead of a traceback; the pages themselves do not need it."""
    import sys

    from regioportret.errors import RegioportretError
    from regioportret.views.pdf import html_naar_pdf

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as on a machine without it
    with pytest.raises(RegioportretError, match="Pdf maken lukt niet op deze computer"):
        html_naar_pdf("<html lang='nl'><body>x</body></html>")


def _buiten_de_bladspiegel(html_tekst: str) -> list[tuple[int, str, float]]:
    """Boxes that reach past the right margin of an A4 page (a table cut off at the page's edge):
    (page, tag, how far past in CSS px). WeasyPrint's laid-out boxes (its render tree)."""
    from weasyprint import HTML

    buiten = []
    for nr, pagina in enumerate(HTML(string=html_tekst).render().pages, start=1):
        blad = pagina._page_box  # noqa: SLF001 - the laid-out page; WeasyPrint has no public box API
        rechts = blad.margin_left + blad.width
        for b in blad.descendants():
            if getattr(b, "element_tag", None) and hasattr(b, "margin_width") and b.position_x is not None:
                over = b.position_x + b.margin_width() - rechts
                if over > 0.5:
                    buiten.append((nr, b.element_tag, round(over, 1)))
    return buiten


def test_pdf_past_binnen_de_bladspiegel(demo_ctx):
    """Every table, chart and paragraph of the portrait and the form stays inside A4's margins
    (the exam table's last years and the comparison's last column ran off the page)."""
    from regioportret.model.aanvraag import maak_aanvraag
    from regioportret.views.aanvraag import aanvraag_html
    from regioportret.views.pdf import kaart_png

    for regios in ([12, 14], [21], []):
        s = demo_ctx.selectie(regios)
        assert _buiten_de_bladspiegel(portret_html(s, kaart_png(s, demo_ctx.kaartlagen, demo_ctx.scholen))) == [], regios
    assert _buiten_de_bladspiegel(aanvraag_html(maak_aanvraag(demo_ctx.selectie([12])))) == []


def test_pdf_past_binnen_de_bladspiegel_echte_data(real_data):
    from regioportret.context import open_context
    from regioportret.model.aanvraag import maak_aanvraag
    from regioportret.views.aanvraag import aanvraag_html
    from regioportret.views.pdf import kaart_png

    ctx = open_context(real_data)
    for nr in (12, 18, 24):
        s = ctx.selectie([nr])
        assert _buiten_de_bladspiegel(portret_html(s, kaart_png(s, ctx.kaartlagen, ctx.scholen))) == [], nr
        assert _buiten_de_bladspiegel(aanvraag_html(maak_aanvraag(s))) == [], nr


def test_te_brede_tabel_wordt_gevonden():
    """The margin check can fail: a table wider than the page is reported."""
    from regioportret.views.sjabloon import render

    tabel = "<table><tr>" + "".join(f"<td style='white-space:nowrap'>2014-2015 kolom {i}</td>" for i in range(12)) \
        + "</tr></table>"
    html_tekst = render("document.html", titel="proef", demo=False, voet="", onderwerp="", kop="proef") \
        .replace("<main>", "<main>" + tabel)
    assert any(tag == "td" for _, tag, _ in _buiten_de_bladspiegel(html_tekst))
