"""Coverage: distances from where young people live to the nearest offer of each technical
profiel, against an independent haversine on a hand-made layout, and on the real data."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from regioportret.format import km, procent
from regioportret.model import dekking


def _haversine(lat1, lon1, lat2, lon2) -> float:
    """Written out once more, with math only: the reference the model is checked against."""
    r = 6371.0088
    f1, f2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((f2 - f1) / 2) ** 2 + math.cos(f1) * math.cos(f2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def _gewogen_kwantiel(waarden, gewichten, q):
    paren = sorted(zip(waarden, gewichten, strict=True))
    totaal, cum = sum(gewichten), 0.0
    for w, g in paren:
        cum += g
        if cum >= q * totaal:
            return w
    return paren[-1][0]


PC4 = pd.DataFrame({"pc4": ["1000", "1001", "1002", "1003", "1004"],
                    "lat": [52.00, 52.05, 52.30, 52.60, 51.00], "lon": [5.00, 5.10, 5.00, 5.40, 4.00]})
JONGEREN = pd.DataFrame({"pc4": ["1000", "1001", "1002", "1003", "1005"], "inwoners": [100, 50, 200, 30, 70]})
LOCATIES = pd.DataFrame({"vestigingscode": ["10AA00", "11BB00", "12CC00"],
                         "lat": [52.01, 52.31, 52.58], "lon": [5.02, 5.01, 5.38]})
AANBOD = {"PIE": ["10AA00", "12CC00"], "BWI": ["11BB00"], "MTR": [], "MTE": [], "MVI": ["10AA00"]}


def test_afstanden_gelijk_aan_onafhankelijke_haversine():
    t, weg = dekking.basis(PC4, JONGEREN, LOCATIES, AANBOD)
    # 1005 has residents but no centroid: reported; 1004 has a centroid but no residents
    assert weg == {"zonder_middelpunt": {"pc4": 1, "inwoners": 70}, "zonder_jongeren": 1}
    assert list(t["pc4"]) == ["1000", "1001", "1002", "1003"]
    loc = LOCATIES.set_index("vestigingscode")
    for r in t.itertuples():
        alle = {c: _haversine(r.lat, r.lon, loc.at[c, "lat"], loc.at[c, "lon"]) for c in loc.index}
        assert r.dichtstbij == min(alle, key=alle.get)
        assert r.km_PIE == pytest.approx(min(alle[c] for c in AANBOD["PIE"]), rel=1e-9)
        assert r.km_BWI == pytest.approx(alle["11BB00"], rel=1e-9)
        assert math.isnan(r.km_MTR)  # nobody offers it


def test_samenvatting_gewogen_mediaan_p90_en_aandelen():
    t, _ = dekking.basis(PC4, JONGEREN, LOCATIES, AANBOD)
    samen = {d["profiel"]: d for d in dekking.samenvatting(t, AANBOD)}
    w = t["inwoners"].tolist()
    for profiel in ("PIE", "BWI", "MVI"):
        afst = t[f"km_{profiel}"].tolist()
        d = samen[profiel]
        assert d["inwoners"] == 380 and d["pc4"] == 4 and d["aanbieders"] == len(AANBOD[profiel])
        assert d["mediaan_km"] == round(_gewogen_kwantiel(afst, w, 0.5), 1)
        assert d["p90_km"] == round(_gewogen_kwantiel(afst, w, 0.9), 1)
        for g in dekking.GRENZEN_KM:
            verwacht = sum(x for a, x in zip(afst, w, strict=True) if a <= g) / sum(w)
            assert d["binnen"][str(g)] == round(verwacht, 4)
    assert samen["MTR"]["mediaan_km"] is None and samen["MTR"]["binnen"]["10"] is None
    # a selection: only the PC4s whose nearest vestiging it has
    alleen = {d["profiel"]: d for d in dekking.samenvatting(t, AANBOD, codes={"12CC00"})}
    assert alleen["PIE"]["inwoners"] == 30 and alleen["PIE"]["aanbieders_in_selectie"] == 1
    assert alleen["BWI"]["aanbieders_in_selectie"] == 0


def test_jongeren_alleen_pc4_en_de_leeftijd_10_14():
    b = pd.DataFrame({"gebied": ["1000", "1000", "10", "100", "1001", "1001"],
                      "soort": ["postcode"] * 6, "leeftijd_van": [10, 15, 10, 10, 10, 10],
                      "leeftijd_tot": [14, 19, 14, 14, 14, 14], "inwoners": [5, 7, 500, 60, 3, 4],
                      "peiljaar": [2021, 2021, 2021, 2021, 2020, 2021], "bron": ["x"] * 6})
    j = dekking.jongeren_per_pc4(b)
    assert j.set_index("pc4")["inwoners"].to_dict() == {"1000": 5, "1001": 4}  # PC2/PC3 rows and old years left out


def test_echte_data_dekking_landelijk_en_op_elk_oppervlak(real_data):
    from regioportret.context import open_context
    from regioportret.views import panelen
    from regioportret.views.pdf import portret_pdf

    ctx = open_context(real_data)
    s = ctx.selectie()
    d = {x["profiel"]: x for x in s.dekking}
    # Independent: residents aged 10-14 per PC4 from the CBS file, centroids from the GeoNames file,
    # offers from the DUO students file (leerjaar 3-4 > 0), the package's located vestigingen.
    cbs = pd.read_csv(next(real_data.rglob("certegis-inwoners-per-pc4-leeftijd-2021.csv")), dtype=str)
    cbs = cbs[(cbs["postcode"].str.len() == 4) & (cbs["leeftijd"] == "10-14")]
    jong = cbs.assign(n=pd.to_numeric(cbs["inwoners"])).groupby("postcode")["n"].sum()
    geo = pd.read_csv(next(real_data.rglob("geonames-postcodes-NL-pc4-2017.txt")), sep="\t", header=None, dtype=str)
    midden = geo.assign(lat=pd.to_numeric(geo[9]), lon=pd.to_numeric(geo[10])).groupby(geo[1].str[:4])[["lat", "lon"]].mean()
    ll = pd.read_csv(next(real_data.rglob("leerlingen-vo-per-vestiging-naar-onderwijstype-2019.csv")), sep=";",
                     dtype=str, encoding="latin1", keep_default_na=False)
    ll = ll[ll["ONDERWIJSTYPE VO EN LEER- OF VERBLIJFSJAAR"].str.contains("lj 3-4")]
    n34 = sum(pd.to_numeric(ll[f"LEER- OF VERBLIJFSJAAR {j} - {g}"]) for j in (3, 4) for g in ("MAN", "VROUW"))
    ll = ll.assign(code=ll["BRIN NUMMER"] + ll["VESTIGINGSNUMMER"], n=n34)
    loc = ctx.ds.locaties.set_index("vestigingscode")
    import numpy as np

    samen = jong[jong.index.isin(midden.index) & (jong > 0)]
    mlat = np.radians(midden.loc[samen.index, "lat"].to_numpy())[:, None]
    mlon = np.radians(midden.loc[samen.index, "lon"].to_numpy())[:, None]
    for afdeling, profiel in (("Produceren, installeren en energie", "PIE"), ("Bouwen, wonen en interieur", "BWI"),
                              ("Media, vormgeving en ICT", "MVI")):
        codes = sorted(set(ll.loc[(ll["AFDELING"] == afdeling) & (ll["n"] > 0), "code"]) & set(loc.index))
        vlat, vlon = np.radians(loc.loc[codes, "lat"].to_numpy())[None, :], np.radians(loc.loc[codes, "lon"].to_numpy())[None, :]
        a = np.sin((vlat - mlat) / 2) ** 2 + np.cos(mlat) * np.cos(vlat) * np.sin((vlon - mlon) / 2) ** 2
        afst = (2 * 6371.0088 * np.arcsin(np.sqrt(a))).min(axis=1)
        binnen10 = float(samen.to_numpy()[afst <= 10].sum() / samen.sum())
        assert d[profiel]["binnen"]["10"] == pytest.approx(binnen10, abs=1e-4), profiel
        assert d[profiel]["inwoners"] == int(samen.sum())
        print(f"{profiel}: {binnen10:.1%} van de jongeren binnen 10 km")
    # the same figures on the page, in the PDF and in the JSON
    regio = ctx.selectie([18])
    html = panelen.dekking(regio)
    pdf = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(
        portret_pdf(regio, ctx.kaartlagen, ctx.scholen))).pages))
    for x in regio.dekking:
        for tekst in (km(x["mediaan_km"]), procent(x["binnen"]["10"])):
            assert tekst in html and tekst in pdf, (x["profiel"], tekst)
    assert regio.als_dict()["dekking"] == [dict(x) for x in regio.dekking]
    assert "hemelsbreed" in html.lower() and "Hemelsbrede afstand" in pdf


def _klasse_onafhankelijk(x, grenzen):
    for grens, kleur in grenzen:
        if x < grens:
            return kleur
    raise AssertionError(x)


def test_kaart_kleuren_naar_aandeel_en_afstand(request):
    """The map colouring: off by default; regions by technical share (techniekarm marked), postcode
    areas by distance (only with residents per PC4); back to none restores the map."""
    import os

    from hulp import DEMO
    from regioportret.context import open_context
    from regioportret.views import palet
    from regioportret.views.dashboard import Dashboard

    echt = os.environ.get("REGIOPORTRET_REAL_DATA")
    ctx = open_context(request.getfixturevalue("real_data") if echt else DEMO)
    d = Dashboard(ctx)
    assert d.kleur.value == "geen" and d.kleur_legenda.value == ""
    d.kleur.value = "aandeel"
    features = d.laag_regios._get_data()["features"]
    arm = {f["properties"]["regionummer"] for f in features if f["properties"]["style"]["color"] == palet.ARM}
    assert arm == {nr for nr, k in ctx.per_regio.items() if k.techniekarm}
    for f in features:
        k = ctx.per_regio[f["properties"]["regionummer"]]
        assert f["properties"]["style"]["fillColor"] == _klasse_onafhankelijk(k.techniekaandeel, palet.AANDEEL_KLASSEN)
    assert "Techniekaandeel (regeling 2025-2028)" in d.kleur_legenda.value
    if ctx.dekking is None:
        assert [w for _, w in d.kleur.options] == ["geen", "aandeel"]
    else:
        d.kleur.value = "PIE"
        t = ctx.dekking["punten"]
        assert len(d.laag_pc4.data["features"]) == t["km_PIE"].notna().sum()
        eerste = d.laag_pc4.data["features"][0]
        assert eerste["properties"]["style"]["fillColor"] == _klasse_onafhankelijk(
            float(t.loc[t["pc4"] == eerste["properties"]["pc4"], "km_PIE"].iloc[0]), palet.AFSTAND_KLASSEN)
        assert "Hemelsbrede afstand tot" in d.kleur_legenda.value
    d.kleur.value = "geen"
    assert d.laag_pc4 is None and d.kleur_legenda.value == ""
    assert {f["properties"]["style"]["fillColor"] for f in d.laag_regios._get_data()["features"]} == {palet.REGIO_VULLING}


WOONPLAATS = Path(__file__).parent / "fixtures" / "woonplaats"


def _onafhankelijk_woonplaats(pad: Path) -> dict:
    """The published file read with the csv module: (vestigingscode, pc4, leerjaar) -> count or '<5'."""
    import csv

    tekst = pad.read_bytes().decode("utf-8-sig", errors="replace")
    uit = {}
    for r in csv.DictReader(io.StringIO(tekst), delimiter=";"):
        code = (r.get("VESTIGINGSCODE") or (r["BRIN NUMMER"] + r["VESTIGINGSNUMMER"].zfill(2)))
        for j in range(1, 7):
            v = r[f"LEER- OF VERBLIJFSJAAR {j}"]
            if v not in ("0", ""):
                uit[(code, r["POSTCODE LEERLING"][:4], j)] = v
    return uit


@pytest.mark.parametrize("naam", sorted(p.name for p in WOONPLAATS.glob("*.csv")))
def test_leerlingen_naar_woonpostcode_beide_layouts(naam):
    from regioportret.sources import herken

    pad = WOONPLAATS / naam
    b = herken(pad)
    assert b is not None and b.tabel == "woonplaatsen", b
    t = b.lees()
    verwacht = _onafhankelijk_woonplaats(pad)
    gelezen = {(r.vestigingscode, r.pc4, r.leerjaar): ("<5" if r.onderdrukt else str(r.aantal))
               for r in t.itertuples()}
    assert gelezen == verwacht
    assert set(t["jaar"]) == {int(re.search(r"(\d{4})\.csv$", naam)[1])}


def test_leerlingen_per_postcode_vervangen_de_inwoners(raw, tmp_path):
    """With DUO's pupils by home postcode in the data, coverage counts them (for the vestiging they
    attend) instead of the residents; a PC4 without centroid and suppressed cells are reported."""
    import shutil

    from regioportret.context import open_context

    for p in WOONPLAATS.glob("*2023.csv"):
        shutil.copy(p, raw / p.name)
    shutil.copy(Path(__file__).parent / "fixtures" / "cbs" / "inwoners-per-postcode-leeftijd-2021.csv", raw)
    ctx = open_context(raw)
    d = ctx.dekking
    assert d is not None and d["wie"] == "leerlingen"
    assert d["weggelaten"]["zonder_middelpunt"] == {"pc4": 1, "inwoners": 7}  # 9999 has no centroid
    assert d["weggelaten"]["onderdrukt"] == 2
    t = d["tabel"]
    # leerjaar 1-4 of each vestiging, per home PC4 (suppressed cells not counted)
    assert t.set_index(["dichtstbij", "pc4"])["inwoners"].to_dict() == {
        ("99AA00", "8012"): 40 + 38 + 35 + 30, ("99AA00", "8261"): 6 + 5, ("99AA01", "8261"): 20 + 22 + 18 + 17,
        ("99AA01", "8012"): 3 + 4}
    assert sorted(d["punten"]["pc4"]) == ["8012", "8261"]  # the map's layer: one point per PC4
    loc = ctx.ds.locaties.set_index("vestigingscode")
    pc = ctx.ds.pc4.set_index("pc4")
    for r in t.itertuples():
        alle = [_haversine(pc.at[r.pc4, "lat"], pc.at[r.pc4, "lon"], loc.at[c, "lat"], loc.at[c, "lon"])
                for c in d["aanbod"]["PIE"] if c in loc.index]
        assert r.km_PIE == pytest.approx(min(alle), rel=1e-9)
    s = ctx.selectie(vestigingen=["99AA01"], nummer=5, naam="Kampen")
    pie = {x["profiel"]: x for x in s.dekking}["PIE"]
    assert pie["inwoners"] == 77 + 7
    tekst = s.dekking_toelichting()
    assert "Leerlingen in leerjaar 1-4" in tekst and "DUO, leerlingen vo per vestiging naar postcode" in tekst
    assert "1 postcodegebieden zonder bekend middelpunt (7 leerlingen)" in tekst
    from html import unescape

    from regioportret.views import panelen

    assert tekst in unescape(panelen.dekking(s))
