"""Each reader on small hand-made files in the exact raw layout."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from hulp import FIXTURES, geheel, lees_csv
from regioportret.sources import examens, herken, leerlingen, locaties, resultaten, vestigingen
from regioportret.sources.grenzen import lees_grenzen
from regioportret.sources.indeling import lees_indeling

RAW = FIXTURES / "raw"
LL19 = RAW / "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2019.csv"
LL23 = RAW / "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2023.csv"


def test_leerlingen_2019_totaal_en_tidy():
    df = leerlingen.lees_2019(LL19)
    rijen = lees_csv(LL19, "cp1252")
    verwacht = sum(geheel(v) for r in rijen for k, v in r.items() if k.startswith("LEER-"))
    assert df["aantal"].sum() == verwacht
    assert set(df["jaar"]) == {2019}
    assert set(df["vestigingscode"]) == {"99AA00", "99AA01", "99BB00"}
    assert not df["onderdrukt"].any()
    assert (df["aantal"] > 0).all()  # zero cells are not stored
    # Latin-1 names survive
    assert "Scholengemeenschap Één" in set(df["vestigingsnaam"])


def test_leerlingen_2019_leerweg_profiel_categorie():
    df = leerlingen.lees_2019(LL19)
    lj34 = df[df["leerweg"].notna()]
    assert set(lj34["leerweg"]) == {"BB", "KB", "GL", "TL"}  # BL -> BB, KL -> KB
    pie = lj34[lj34["profiel"] == "PIE"]
    assert pie["aantal"].sum() == 7 + 1 + 6 and set(pie["leerweg"]) == {"BB"}
    assert lj34.loc[lj34["profiel"] == "MTE", "aantal"].sum() == 7  # "Maritiem en Techniek"
    route = lj34[lj34["categorie"] == "route"]
    assert route["aantal"].sum() == 5 and route["profiel"].isna().all()
    tl = lj34[lj34["leerweg"] == "TL"]
    assert set(tl["categorie"]) == {"geen"} and tl["aantal"].sum() == 46
    # havo and brugjaar rows have no leerweg
    assert df.loc[df["onderwijstype"] == "HAVO lj 4-5", "leerweg"].isna().all()


def test_leerlingen_nieuwe_layout_onderdrukt_blijft_gemarkeerd():
    df = leerlingen.lees_nieuw(LL23)
    rijen = lees_csv(LL23, "utf-8")
    tellen = [v for r in rijen for k, v in r.items() if k.startswith("LEER-")]
    assert df["onderdrukt"].sum() == tellen.count("<5") == 5
    assert df["aantal"].isna().sum() == 5  # never 0 or a guess
    assert df["aantal"].sum() == sum(geheel(v) for v in tellen)
    assert set(df["jaar"]) == {2023}
    assert set(df["vestigingscode"]) == {"99AA00", "99AA01"}
    assert set(df.loc[df["leerweg"].notna(), "profiel"].dropna()) == {"PIE", "DP", "MVI"}


def test_layout_herkend_aan_kopregel_niet_aan_naam(tmp_path):
    for bron, naam in [(LL19, "zomaar.csv"), (LL23, "x.txt")]:
        doel = tmp_path / naam
        doel.write_bytes(bron.read_bytes())
        b = herken(doel)
        assert b is not None and b.tabel == "leerlingen"
    assert herken(RAW / "alle-vestigingen.csv").tabel == "vestigingen"
    assert herken(RAW / "examens-2014-2019.csv").layout == "duo-examenkandidaten-brin"
    assert herken(RAW / "examens-2019-2024.csv").layout == "duo-examenkandidaten-instellingscode"
    assert herken(RAW / "geslaagden-gezakten-en-cijfers-2018-2019.csv").tabel == "resultaten"
    assert herken(RAW / "pc4.txt").tabel == "pc4"
    assert herken(RAW / "scholen.geo.json").tabel == "punten"
    assert herken(RAW / "gemeenten.geojson").tabel == "gemeente"
    assert herken(RAW / "arbeidsmarktregios.topojson").tabel == "arbeidsmarktregio"


def test_jaar_uit_kolom_wint_van_bestandsnaam(tmp_path):
    tekst = LL23.read_text(encoding="utf-8").splitlines()
    tekst[0] = '"JAAR";' + tekst[0]
    tekst[1:] = ['"2022";' + r for r in tekst[1:]]
    doel = tmp_path / "leerlingen-2030.csv"
    doel.write_text("\n".join(tekst) + "\n", encoding="utf-8")
    assert set(leerlingen.lees_nieuw(doel)["jaar"]) == {2022}


def test_vestigingen():
    df = vestigingen.lees_brin(RAW / "alle-vestigingen.csv")
    assert list(df["vestigingscode"]) == ["99AA00", "99AA01", "99BB00"]
    assert df.loc[0, "postcode"] == "8011AB" and df.loc[0, "gemeentecode"] == "0193"
    assert df.loc[0, "nodaal_code"] == "44" and df.loc[0, "nodaal_naam"] == "Zwolle"
    assert df.loc[0, "rmc_naam"] == "IJssel-Vecht"


@pytest.mark.parametrize("bestand,encoding,jaren", [
    ("examens-2014-2019.csv", "cp1252", range(2014, 2019)),
    ("examens-2019-2024.csv", "utf-8", range(2019, 2024)),
])
def test_examens_beide_layouts(bestand, encoding, jaren):
    pad = RAW / bestand
    df = (examens.lees_brin if "2014" in bestand else examens.lees_nieuw)(pad)
    assert sorted(df["jaar"].unique()) == list(jaren)
    rijen = lees_csv(pad, encoding)
    for j in jaren:
        kolom = f"EXAMENKANDIDATEN SCHOOLJAAR {j}-{j + 1} - TOTAAL"
        verwacht = sum(geheel(r[kolom]) for r in rijen)
        onderdrukt = sum(r[kolom] == "<5" for r in rijen)
        deel = df[df["jaar"] == j]
        assert deel["kandidaten"].sum() == verwacht
        assert deel["kandidaten_onderdrukt"].sum() == onderdrukt
    vmbo = df[df["onderwijstype"] == "VMBO"]
    assert set(vmbo["sector"]) <= {"techniek", "zorg en welzijn"}
    assert set(vmbo["leerweg"]) <= {"BB", "KB", "LWT"}


def test_resultaten_profielcodes_en_oude_programmas():
    df = resultaten.lees_brin(RAW / "geslaagden-gezakten-en-cijfers-2018-2019.csv")
    assert set(df["jaar"]) == {2018}  # school year 2018-2019
    assert df.set_index("afdeling").loc["MTE", "profiel"] == "MTE"
    assert df.set_index("afdeling").loc["Metaaltechniek", "categorie"] == "oud"
    assert df.loc[df["leerweg"] == "TL", "categorie"].tolist() == ["geen"]
    assert df["kandidaten"].sum() == 6 + 23 + 3 + 2


def test_locaties_punt_dan_pc4_en_waarschuwing():
    vest = vestigingen.lees_brin(RAW / "alle-vestigingen.csv")[["vestigingscode", "postcode"]]
    vest = pd.concat([vest, pd.DataFrame({"vestigingscode": ["77ZZ00"], "postcode": ["0000XX"]})], ignore_index=True)
    punten = [locaties.lees_punten(RAW / "scholen.geo.json")]
    pc4 = locaties.lees_pc4(RAW / "pc4.txt")
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        loc, zonder = locaties.koppel(vest, punten, pc4)
    assert zonder == ["77ZZ00"]
    assert any("77ZZ00" in str(x.message) for x in w)
    loc = loc.set_index("vestigingscode")
    assert loc.loc["99AA00", "bron"] == "punt" and loc.loc["99AA00", "lon"] == pytest.approx(6.09)
    # PC4 8261 appears twice (two places): the mean is used
    assert loc.loc["99AA01", "bron"] == "pc4" and loc.loc["99AA01", "lat"] == pytest.approx(52.555)


def test_grenzen_geojson_en_topojson():
    g = lees_grenzen(RAW / "gemeenten.geojson", "gemeente")
    assert list(g["statcode"]) == ["GM0166", "GM0193"] and g.crs.to_epsg() == 4326
    t = lees_grenzen(RAW / "arbeidsmarktregios.topojson", "arbeidsmarktregio")
    assert list(t["statcode"]) == ["AM14"] and t.crs.to_epsg() == 4326
    minx, miny, maxx, maxy = t.total_bounds
    assert (minx, miny) == pytest.approx((5.8, 52.4)) and (maxx, maxy) == pytest.approx((6.2, 52.7))


def test_indeling():
    df = lees_indeling(FIXTURES / "indeling.csv")
    assert df.groupby("regionummer")["vestigingscode"].apply(list).to_dict() == {12: ["99AA00", "99AA01"], 14: ["99BB00"]}


def test_vmbo_mbo2_apart_gehouden_en_overal_gemeld(tmp_path):
    """DUO's 'VMBO-MBO2 lj 3-6' (the through route vmbo - mbo 2 of some years) is no vmbo
    leerweg: read, kept as its own category, warned about in the build and named on every
    portrait, never dropped silently and never mixed into the leerwegen."""
    import shutil

    from regioportret.context import open_context

    raw = tmp_path / "ruw"
    shutil.copytree(RAW, raw)
    regels = LL23.read_text(encoding="utf-8").splitlines()
    # the route at vestiging 99AA01: 7 + 5 in leerjaar 3, <5 in 4, 4 in 5 (the counts an independent reader sums)
    regels.append('"99AA";"99AA01";"Vakcollege Kampen";"KAMPEN";"Overijssel";"VO2302";"VMBO-MBO2 lj 3-6";"Techniek";'
                  '"Produceren, installeren en energie";"6999";"VMBO-MBO2 Produceren, installeren en energie";'
                  '"0";"0";"0";"0";"7";"5";"<5";"0";"4";"0";"0";"0"')
    (raw / LL23.name).write_text("\n".join(regels) + "\n", encoding="utf-8")
    df = leerlingen.lees_nieuw(raw / LL23.name)
    route = df[df["categorie"] == "vmbo-mbo2"]
    assert route["leerweg"].isna().all() and set(route["profiel"]) == {"PIE"}
    assert route["aantal"].sum() == 7 + 5 + 4 and route["onderdrukt"].sum() == 1
    ctx = open_context(raw)
    assert any("VMBO-MBO2" in w and "16 leerlingen" in w for w in ctx.ds.manifest["waarschuwingen"])
    s = ctx.selectie()
    assert s.vmbo_mbo2 == 16 and s.als_dict()["vmbo_mbo2"] == 16
    assert s.kern.leerlingen == open_context(RAW).selectie().kern.leerlingen  # not in any leerweg
    zin = next(z for z in s.toelichting() if "VMBO-MBO2" in z)
    from regioportret.views import panelen

    assert zin in panelen.kerncijfers(s).replace("&#39;", "'")


# -- DUO's portal: primary-school pupils by age, RIO's locations ------------------------------------
PORTAAL = FIXTURES / "portaal"


def test_po_leerlingen_per_vestiging_en_per_gemeente():
    """Both published layouts, recognised by their headers; '<5' stays suppressed; a BRIN of 4
    and a 2-digit vestiging make the 6-character code; a gemeentenummer becomes GM0193."""
    v = herken(PORTAAL / "brin6_leeftijd.csv")
    g = herken(PORTAAL / "gemeente_leeftijd.csv")
    assert (v.layout, v.tabel, g.layout, g.tabel) == ("duo-po-vestiging-leeftijd", "po_leerlingen",
                                                      "duo-po-gemeente-leeftijd", "po_leerlingen")
    dv, dg = v.lees(), g.lees()
    ruw = pd.read_csv(PORTAAL / "brin6_leeftijd.csv", sep=";", dtype=str)
    assert len(dv) == len(ruw) and set(dv["gebied"]) == {"88AA00", "88AB01"}
    rij = dv[(dv["gebied"] == "88AA00") & (dv["peiljaar"] == 2024) & (dv["leeftijd"] == 12) & (dv["type_po"] == "BO")]
    assert rij["aantal"].tolist() == [float(ruw[(ruw["INSTELLINGSCODE"] == "88AA") & (ruw["PEILJAAR"] == "2024")
                                                & (ruw["LEEFTIJD"] == "12") & (ruw["TYPE_PO"] == "BO")]
                                            ["AANTAL_LEERLINGEN"].iloc[0])]
    assert dv["onderdrukt"].sum() == (ruw["AANTAL_LEERLINGEN"] == "<5").sum() and dv.loc[dv["onderdrukt"], "aantal"].isna().all()
    assert set(dg["gebied"]) == {"GM0193", "GM0166"} and (dg["soort"] == "gemeente").all()
    assert dg.groupby("peiljaar")["aantal"].sum().to_dict() == {
        int(j): float(pd.to_numeric(x["AANTAL_LEERLINGEN"], errors="coerce").sum())
        for j, x in pd.read_csv(PORTAAL / "gemeente_leeftijd.csv", sep=";", dtype=str).groupby("PEILJAAR")}


def test_po_leerlingen_foute_leeftijd_noemt_regel(tmp_path):
    from regioportret.errors import DataFout

    f = tmp_path / "brin6_leeftijd.csv"
    f.write_text("INSTELLINGSCODE;VESTIGINGSCODE;TYPE_PO;PEILJAAR;LEEFTIJD;AANTAL_LEERLINGEN\n"
                 "88AA;00;BO;2024;4;12\n88AA;00;BO;2024;vier;3\n", encoding="utf-8")
    with pytest.raises(DataFout) as e:
        herken(f).lees()
    assert "regel 3" in str(e.value) and "LEEFTIJD" in str(e.value) and "vier" in str(e.value)


def test_rio_locaties_en_koppeling_op_adres():
    """RIO's locations (a row without coordinates left out) place a vestiging at its address
    (postcode and house number) before any points file or PC4 centroid."""
    r = herken(PORTAAL / "onderwijslocaties.csv")
    assert (r.layout, r.tabel) == ("rio-onderwijslocaties", "rio_locaties")
    rio = r.lees()
    assert len(rio) == 3 and set(rio["postcode"]) == {"8011AB", "8261CD"}
    v = vestigingen.lees_brin(FIXTURES / "raw" / "alle-vestigingen.csv")
    pc4 = locaties.lees_pc4(FIXTURES / "raw" / "pc4.txt")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loc, _ = locaties.koppel(v[["vestigingscode", "postcode", "huisnummer"]], [], pc4, rio)
    per = loc.set_index("vestigingscode")
    assert per.at["99AA00", "bron"] == "rio" and (per.at["99AA00", "lat"], per.at["99AA00", "lon"]) == (52.5125, 6.0944)
    assert per.at["99AA01", "bron"] == "rio" and per.at["99AA01", "lat"] == 52.5550  # house number 1, addition A
    assert per.at["99BB00", "bron"] == "pc4"  # 8012 EF: no RIO location there


def test_rio_foute_coordinaat_noemt_regel(tmp_path):
    from regioportret.errors import DataFout

    f = tmp_path / "onderwijslocaties.csv"
    f.write_text("POSTCODE;HUISNUMMER;GPS_LATITUDE;GPS_LONGITUDE\n8011AB;1;52,51;6,09\n8011AB;2;152.1;6.1\n",
                 encoding="utf-8")
    with pytest.raises(DataFout) as e:
        herken(f).lees()
    assert "regel 3" in str(e.value) and "GPS_LATITUDE" in str(e.value)
