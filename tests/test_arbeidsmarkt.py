"""Labour-market sources (CBS StatLine OData, UWV spanningsindicator, doorstroom) and the
picture per selection, checked against the raw files."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from hulp import DEMO, FIXTURES
from regioportret import cli, store
from regioportret.context import actieve_indeling, portret
from regioportret.errors import DataFout
from regioportret.sources import herken
from regioportret.sources.arbeidsmarkt import lees_cbs, lees_doorstroom, lees_uwv

AMF = FIXTURES / "arbeidsmarkt"


def test_cbs_banen_per_sector_in_aantallen():
    b = lees_cbs(AMF / "cbs" / "83582NED" / "TypedDataSet.json")
    assert herken(AMF / "cbs" / "83582NED" / "TypedDataSet.json").layout == "cbs-odata"
    assert herken(AMF / "cbs" / "83582NED" / "RegioS.json").tabel == "odata-deel"
    r = b[(b["regiocode"] == "AM01") & (b["sector"] == "B-F Nijverheid en energie")].iloc[0]
    assert r["waarde"] == pytest.approx(40_200)  # 40,2 x 1 000
    assert r["regionaam"] == "Groningen (AM)" and r["jaar"] == 2022 and r["periode"] == "2022 december*"
    assert b.loc[(b["regiocode"] == "AM02") & b["sector"].str.startswith("G-N"), "waarde"].isna().all()  # null


def test_cbs_werkloosheid_alleen_totaal_personen():
    w = lees_cbs(AMF / "cbs" / "85494NED" / "TypedDataSet.json")
    assert set(w["indicator"]) == {"werkloosheid_pct"}  # the other topic is not one we read
    assert len(w) == 6 and 9.9 not in set(w["waarde"])  # 'Mannen' left out
    assert w.set_index(["regiocode", "jaar"]).loc[("AM01", 2022), "waarde"] == 4.0


def test_cbs_fouten(tmp_path):
    kopie = tmp_path / "85494NED"
    shutil.copytree(AMF / "cbs" / "85494NED", kopie)
    (kopie / "RegioS.json").unlink()
    with pytest.raises(DataFout, match="RegioS.json"):
        lees_cbs(kopie / "TypedDataSet.json")
    shutil.copy(AMF / "cbs" / "85494NED" / "RegioS.json", kopie)
    obj = json.loads((kopie / "TypedDataSet.json").read_text(encoding="utf-8"))
    obj["value"][2]["Werkloosheidspercentage_4"] = "vier"
    (kopie / "TypedDataSet.json").write_text(json.dumps(obj), encoding="utf-8")
    with pytest.raises(DataFout) as e:
        lees_cbs(kopie / "TypedDataSet.json")
    assert "regel 3" in str(e.value) and "Werkloosheidspercentage_4" in str(e.value)


def test_uwv_csv_en_xlsx(tmp_path):
    csv = lees_uwv(AMF / "uwv-spanningsindicator-2024-k2.csv")
    assert csv["technisch"].tolist() == [True, True, False, True, True, True]
    assert csv["niveau"].tolist() == [5, 4, 3, 3, 4, 5] and csv["jaar"].unique().tolist() == [2024]
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Spanningsindicator per arbeidsmarktregio, 2e kwartaal 2024"])  # UWV puts a title above
    ws.append([])
    rijen = (AMF / "uwv-spanningsindicator-2024-k2.csv").read_text(encoding="utf-8").splitlines()
    for r in rijen:
        ws.append(r.split(";"))
    pad = tmp_path / "spanningsindicator-2024-k2.xlsx"
    wb.save(pad)
    b = herken(pad)
    assert b.tabel == "spanning"
    pd.testing.assert_frame_equal(b.lees().drop(columns="bron"), csv.drop(columns="bron"))


def test_uwv_onbekende_categorie(tmp_path):
    f = tmp_path / "uwv.csv"
    f.write_text("Arbeidsmarktregio;Beroepsklasse;Spanningsindicator\nGroningen;Bouwarbeiders;Krap\n"
                 "Groningen;Metaalarbeiders;heel krap\n", encoding="utf-8")
    with pytest.raises(DataFout) as e:
        lees_uwv(f)
    assert "regel 3" in str(e.value) and "SPANNINGSINDICATOR" in str(e.value)


def test_doorstroom():
    d = lees_doorstroom(AMF / "doorstroom-vmbo-mbo-2023.csv")
    assert d["profiel"].tolist() == ["BWI", "BWI", "ZWE", "PIE"]
    assert d["technisch_mbo"].tolist() == [True, False, False, True]
    assert d["aantal_onderdrukt"].tolist() == [False, True, False, False]


@pytest.fixture(scope="module")
def demo():
    ds = store.laad(DEMO)
    return ds, actieve_indeling(ds)


def _beeld(ds, ind, regios):
    """The labour-market picture as the bundle builds it."""
    from regioportret.context import Context

    return Context(ds, ind).selectie(regios).arbeidsmarkt


def _ruw_cbs(tabel: str) -> pd.DataFrame:
    """The demo's TypedDataSet read plainly, independent of the package."""
    return pd.DataFrame(json.loads((DEMO / "cbs" / tabel / "TypedDataSet.json").read_text(encoding="utf-8"))["value"])


def test_beeld_gelijk_aan_ruwe_bestanden(demo):
    ds, ind = demo
    p = portret(ds, ind, [12])
    b = _beeld(ds, ind, [12])
    assert [r["code"] for r in b.regios] == ["AM91"] and b.regios[0]["gewicht"] == 1
    ruw = _ruw_cbs("83582NED")
    ruw = ruw[(ruw["RegioS"].str.strip() == "AM91") & (ruw["Perioden"] == "2023JJ00")].set_index(
        "BedrijfstakkenBranchesSBI2008")["BanenVanWerknemers_1"]
    assert b.gewogen(b.banen, "aandeel") == pytest.approx(ruw["300003"] / ruw["T001081"])
    wl = _ruw_cbs("85494NED")
    wl = wl[wl["Perioden"] == "2023JJ00"].assign(RegioS=lambda x: x["RegioS"].str.strip()).set_index("RegioS")
    assert b.gewogen(b.werkloosheid, "pct") == pytest.approx(wl.at["AM91", "Werkloosheidspercentage_4"])
    assert b.landelijk_cijfer(b.werkloosheid, "pct") == pytest.approx(wl.at["NL01", "Werkloosheidspercentage_4"])
    # the doorstroom of the selection: its vestigingen' rows in the raw file
    door = pd.read_csv(DEMO / "doorstroom" / "doorstroom-vmbo-mbo-demo.csv", sep=";", dtype=str)
    door = door[door["VESTIGINGSCODE"].isin(p.tabel["vestigingscode"]) & (door["VMBO PROFIEL"] == "BWI")]
    bekend = pd.to_numeric(door["AANTAL"].where(door["AANTAL"] != "<5"), errors="coerce")
    sel = b.doorstroom.set_index(["gebied", "profiel"]).loc[("selectie", "BWI")]
    assert sel["naar_mbo"] == bekend.sum()
    assert sel["naar_techniek"] == bekend[door["MBO DOMEIN"] == "Bouw en infra"].sum()


def test_twee_arbeidsmarktregios_gewogen_naar_leerlingen(demo):
    ds, ind = demo
    b = _beeld(ds, ind, [12, 14])  # Noord and Oost
    w = {r["code"]: r["gewicht"] for r in b.regios}
    assert set(w) == {"AM91", "AM92"} and sum(w.values()) == pytest.approx(1)
    a = b.banen.set_index("code")["aandeel"]
    assert b.gewogen(b.banen, "aandeel") == pytest.approx(w["AM91"] * a["AM91"] + w["AM92"] * a["AM92"])
    assert list(b.spanning.columns) == [r["naam"] for r in b.regios] + ["Nederland"]


def test_geen_arbeidsmarktdata_zegt_dat(raw):
    from regioportret.context import open_context
    from regioportret.views import panelen

    s = open_context(raw).selectie()
    assert s.arbeidsmarkt.leeg
    html = panelen.arbeidsmarkt(s)
    # a school director reads that there are none, and is not told to run a command
    assert "Geen arbeidsmarktgegevens geladen" in html and "regioportret data fetch" not in html
    assert "CBS StatLine" in html and "UWV" in html  # what is missing, and where it would come from
    import io
    import re

    from pypdf import PdfReader

    from regioportret.views.pdf import portret_pdf

    ctx = open_context(raw)
    pdf = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(portret_pdf(s, ctx.kaartlagen, ctx.scholen))).pages)
    pdf = re.sub(r"\s+", " ", pdf)
    assert "Geen arbeidsmarktgegevens geladen" in pdf and "CBS StatLine" in pdf
    assert not re.search(r"regioportret (data|render|export)|make ", pdf)


def test_cli_portret_heeft_arbeidsmarkt(capsys):
    assert cli.main(["portret", "--regio", "12", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)["arbeidsmarkt"]
    assert d["geladen"] == {"cbs": True, "uwv": True, "doorstroom": True}
    assert d["arbeidsmarktregios"][0]["code"] == "AM91"
    assert 0 < d["techniek_aandeel_banen"]["selectie"] < 1 and d["werkloosheid_pct"]["landelijk"] > 0
    assert d["spanning_technische_beroepen"]
    assert d["bronnen"] == {"cbs": ["cbs/83582NED/TypedDataSet.json", "cbs/85494NED/TypedDataSet.json"],
                            "uwv": ["uwv/uwv-spanningsindicator-demo.csv"],
                            "doorstroom": ["doorstroom/doorstroom-vmbo-mbo-demo.csv"]}
