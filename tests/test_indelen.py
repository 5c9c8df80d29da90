"""Nobody falls out: every vestiging with students is in one region, or listed as "niet
ingedeeld" with its students on every surface (JSON, page, PDF, Excel). The example indeling
places vestigingen missing from DUO's address list through a documented chain."""

from __future__ import annotations

import io
import re

import pandas as pd
from pypdf import PdfReader
from shapely.geometry import box

from hulp import DEMO
from regioportret import rules
from regioportret.context import open_context
from regioportret.model.indelen import gemeente_regios, norm, vul_aan
from regioportret.views import panelen
from regioportret.views.export import xlsx_bytes
from regioportret.views.pdf import portret_pdf


def _pdf_tekst(inhoud: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(inhoud)).pages))


def _html_tekst(h: str) -> str:
    import html

    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", h)))


def test_norm_vergelijkt_plaatsnamen_zonder_accenten():
    assert norm("Damwâld") == norm("DAMWALD") == "damwald"
    assert norm("'s-Gravenhage") == norm("S GRAVENHAGE")


def test_keten_brin_gemeente_locatie_en_wat_overblijft():
    # Four gemeenten in a row; A and B in region 1, C in region 2; D has no school (it borders C).
    gemeenten = pd.DataFrame({"statcode": ["GM0001", "GM0002", "GM0003", "GM0004"],
                              "statnaam": ["Aa", "Bee", "Cee", "Dee"],
                              "geometry": [box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1), box(3, 0, 4, 1)]})
    adressen = pd.DataFrame({"vestigingscode": ["10AA00", "11BB00", "12CC00"], "instellingscode": ["10AA", "11BB", "12CC"],
                             "gemeentecode": ["0001", "0002", "0003"], "gemeentenaam": ["AA", "BEE", "CEE"]})
    tabel = pd.DataFrame({"regionummer": [1, 1, 2], "regionaam": ["Een", "Een", "Twee"],
                          "vestigingscode": ["10AA00", "11BB00", "12CC00"]})
    zonder = pd.DataFrame({"vestigingscode": ["10AA05", "20XX00", "21YY00", "22ZZ00", "23QQ00", "24RR00"],
                           "vestigingsnaam": ["zuster", "examen", "plaats", "punt", "nergens", "buurgemeente"],
                           "plaatsnaam": ["?", "?", "Bêe-dorp", "?", "?", "?"]})
    examengemeenten = pd.DataFrame({"vestigingscode": ["20XX00", "24RR00"], "gemeentenaam": ["CEE", "DEE"]})
    plaatsen = pd.DataFrame({"plaats": ["Bee-Dorp"], "gemeentenaam": ["Bee"]})
    locaties = pd.DataFrame({"vestigingscode": ["22ZZ00"], "lon": [2.5], "lat": [0.5]})
    nieuw, toegewezen = vul_aan(tabel, adressen, zonder, examengemeenten, plaatsen, locaties, gemeenten)
    uit = toegewezen.set_index("vestigingscode")
    assert uit.loc["10AA05", ["regionummer", "methode"]].tolist() == [1, "brin"]
    assert uit.loc["20XX00", ["regionummer", "methode"]].tolist() == [2, "gemeente"]
    assert uit.loc["21YY00", ["regionummer", "methode"]].tolist() == [1, "gemeente"]
    assert "GeoNames" in uit.loc["21YY00", "via"]
    assert uit.loc["22ZZ00", ["regionummer", "methode"]].tolist() == [2, "locatie"]
    assert uit.loc["24RR00", "regionummer"] == 2 and "grenst" in uit.loc["24RR00", "via"]
    assert "23QQ00" not in uit.index and "23QQ00" not in set(nieuw["vestigingscode"])
    assert len(nieuw) == len(tabel) + 5 and nieuw["vestigingscode"].is_unique


def test_gemeente_in_twee_regios_is_niet_eenduidig():
    gemeenten = pd.DataFrame({"statcode": ["GM0001", "GM0002"], "statnaam": ["Aa", "Bee"],
                              "geometry": [box(0, 0, 1, 1), box(1, 0, 2, 1)]})
    adressen = pd.DataFrame({"vestigingscode": ["10AA00", "11BB00"], "gemeentecode": ["0001", "0001"]})
    tabel = pd.DataFrame({"regionummer": [1, 2], "regionaam": ["Een", "Twee"], "vestigingscode": ["10AA00", "11BB00"]})
    g = gemeente_regios(tabel, adressen, gemeenten)
    assert "GM0001" not in set(g["statcode"])  # split gemeente: no region of its own
    assert "GM0002" not in set(g["statcode"])  # and its neighbour cannot lean on it


def _oppervlakken(s, ctx):
    """The indeling note as each surface prints it."""
    pagina = _html_tekst(panelen.kerncijfers(s))
    pdf = _pdf_tekst(portret_pdf(s, ctx.kaartlagen, ctx.scholen))
    bladen = pd.read_excel(io.BytesIO(xlsx_bytes(ctx.aantallen(s))), sheet_name=None)
    return pagina, pdf, bladen


def test_demo_een_eigen_indeling_die_vestigingen_mist_noemt_ze_overal(tmp_path):
    ctx = open_context(DEMO)
    volledig = ctx.indeling.tabel
    weg = volledig[volledig["regionummer"] == 14]
    (tmp_path / "ind.csv").write_text("regionummer;regionaam;vestigingscode\n" + "".join(
        f"{r.regionummer};{r.regionaam};{r.vestigingscode}\n" for r in volledig[volledig["regionummer"] != 14].itertuples()),
        encoding="utf-8")
    ctx2 = open_context(DEMO, indeling=tmp_path / "ind.csv")
    s = ctx2.selectie([12])
    b = ctx.basis.tabel
    # the demo's own indeling already leaves some vestigingen out; now region 14's are out too
    assert b["regionummer"].isna().any()
    verwacht = b[b["vestigingscode"].isin(weg["vestigingscode"]) | b["regionummer"].isna()]
    assert {v["vestigingscode"] for v in s.niet_ingedeeld} == set(verwacht["vestigingscode"])
    assert sum(v["leerlingen"] for v in s.niet_ingedeeld) == verwacht["aantal"].sum()
    assert sum(v["techniek"] for v in s.niet_ingedeeld) == \
        verwacht.loc[verwacht["profiel"].isin(rules.TECHNISCHE_PROFIELEN), "aantal"].sum()
    assert s.als_dict()["niet_ingedeeld"] == [dict(v) for v in s.niet_ingedeeld]
    zin = next(z for z in s.toelichting() if z.startswith("Niet ingedeeld"))
    pagina, pdf, bladen = _oppervlakken(s, ctx2)
    assert zin in pagina
    assert re.sub(r"\s+", "", zin) in re.sub(r"\s+", "", pdf)  # the PDF wraps lines
    assert zin in set(bladen["Bronnen"]["waarde"])
    assert set(bladen["Niet ingedeeld"]["vestigingscode"]) == set(verwacht["vestigingscode"])
    # the application form of a region says it too (JSON, PDF, Excel)
    import json

    from regioportret.model.aanvraag import maak_aanvraag
    from regioportret.views.aanvraag import aanvraag_json, aanvraag_pdf, aanvraag_xlsx

    a = maak_aanvraag(s)
    assert zin in json.loads(aanvraag_json(a))["telling"]
    assert re.sub(r"\s+", "", zin) in re.sub(r"\s+", "", _pdf_tekst(aanvraag_pdf(a)))
    assert zin in set(pd.read_excel(io.BytesIO(aanvraag_xlsx(a)), sheet_name="Bronnen")["waarde"])


def test_echte_data_voorbeeldindeling_laat_niemand_vallen(real_data):
    ctx = open_context(real_data)
    b = ctx.basis.tabel
    assert b["regionummer"].notna().all()  # after the chain: every vestiging with students has a region
    # Before the chain: the address list's nodale gebieden alone miss these (an independent count).
    adres = set(ctx.ds.vestigingen.loc[ctx.ds.vestigingen["nodaal_code"].fillna("") != "", "vestigingscode"])
    los = b[~b["vestigingscode"].isin(adres)]
    assert los["vestigingscode"].nunique() == 8 and los["aantal"].sum() == 864
    assert los.loc[los["profiel"].isin(rules.TECHNISCHE_PROFIELEN), "aantal"].sum() == 72
    t = ctx.indeling.toegewezen.set_index("vestigingscode")
    assert set(los["vestigingscode"]) <= set(t.index)
    assert t.loc["15KR13", "methode"] == "brin" and t.loc["15KR13", "regionummer"] == 54
    assert t.loc["02FC00", "methode"] == "gemeente" and t.loc["02XE00", "methode"] == "gemeente"
    s = ctx.selectie()
    assert s.niet_ingedeeld == ()
    zinnen = s.toelichting()
    assert zinnen[-1].startswith("Niet ingedeeld: geen")
    assert s.als_dict()["indeling"]["toegewezen"] == ctx.indeling.toegewezen.to_dict("records")
    regio = ctx.selectie([54])
    zinnen = regio.toelichting()  # a region names only the placements among its own vestigingen
    assert "15KR13 → regio 54" in zinnen[0] and "02XE00" not in zinnen[0] and "→ regio 10" not in zinnen[0]
    zonder = next(int(n) for n in ctx.indeling.regios["regionummer"] if int(n) not in set(t["regionummer"]))
    assert not any("zonder adres" in z for z in ctx.selectie([zonder]).toelichting())
    pagina, pdf, bladen = _oppervlakken(regio, ctx)
    for zin in zinnen:
        assert zin in pagina and zin in set(bladen["Bronnen"]["waarde"])
        assert re.sub(r"\s+", "", zin) in re.sub(r"\s+", "", pdf)
