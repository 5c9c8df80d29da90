"""The forecast after the data: birth cohorts from CBS age bands, the demographic method, the
technical exam series, brugjaar-only locations, and no hindsight anywhere in the backtest."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hulp import FIXTURES
from regioportret import store
from regioportret.context import actieve_indeling, open_context
from regioportret.model import backtest as bt
from regioportret.model import demografie
from regioportret.model import prognose as pg
from regioportret.model import prognoseportret as pp


def _bevolking(gebieden: dict[str, list[float]], peiljaar: int = 2021) -> pd.DataFrame:
    """Residents in the CBS 5-year bands 0-4 .. 20-24 per postcode area."""
    rijen = [(g, "postcode", 5 * i, 5 * i + 4, n, peiljaar, "test") for g, banden in gebieden.items()
             for i, n in enumerate(banden)]
    d = pd.DataFrame(rijen, columns=["gebied", "soort", "leeftijd_van", "leeftijd_tot", "inwoners", "peiljaar", "bron"])
    return d.astype({"inwoners": "Int64", "peiljaar": "Int64"})


def test_enkele_jaren_houden_het_totaal_per_groep_en_volgen_een_rechte_lijn():
    c = demografie.cohorten(_bevolking({"97": [500, 600, 700, 800, 900], "971": [100, 100, 100, 100, 100]}))[2021]
    # age a on 1 January 2021 was born in 2020 - a: ages 0..24 are birth years 1996..2020
    assert list(c.columns) == list(range(1996, 2021))
    for i, totaal in enumerate([500, 600, 700, 800, 900]):
        jaren = [2020 - a for a in range(5 * i, 5 * i + 5)]
        assert c.loc["97", jaren].sum() == pytest.approx(totaal)
    # a density rising by 20 per band rises by 4 a year inside the middle bands
    assert np.diff(c.loc["97", [2020 - a for a in range(5, 20)]].to_numpy()) == pytest.approx(
        np.full(14, 4.0), abs=1e-9)
    assert c.loc["971"].to_numpy() == pytest.approx(np.full(25, 20.0))  # flat stays flat
    assert demografie.geboortejaar(2019, 3) == 2005 and demografie.examen_geboortejaar(2019) == 2004


def test_een_vestiging_telt_met_haar_pc3_anders_pc2_anders_het_land():
    c = demografie.cohorten(_bevolking({"97": [10] * 5, "971": [20] * 5, "98": [30] * 5}))[2021]
    vest = pd.DataFrame({"vestigingscode": ["A", "B", "C"], "postcode": ["9711 AB", "9733CD", "1011AA"]})
    pv = demografie.per_vestiging(c, vest, ["A", "B", "C", "D"])
    assert pv.loc["A"].sum() == pytest.approx(100)  # PC3 971
    assert pv.loc["B"].sum() == pytest.approx(50)  # PC2 97 (no PC3 973)
    assert pv.loc["C"].sum() == pytest.approx(200) and pv.loc["D"].sum() == pytest.approx(200)  # the country
    assert pv.attrs["zonder_gebied"] == 2


def test_demografisch_model_is_de_laatste_waarde_maal_de_groei_van_de_geboortejaren():
    jaren = list(range(1996, 2021))
    pv = pd.DataFrame([np.linspace(100, 200, 25), np.full(25, 50.0)], index=["A", "B"], columns=jaren)
    k = pd.DataFrame({"A": [80.0, 90.0], "B": [40.0, 41.0]}, index=pd.RangeIndex(2021, 2023, name="jaar"))
    uit = pg.demografisch_model(pv, lambda j: [j - 15])({"kandidaten": k, "techniek": k / 4}, 3)
    # exam year 2023 is born 2008, the origin's (2022) born 2007
    verwacht = 90.0 * pv.at["A", 2008] / pv.at["A", 2007]
    assert uit["kandidaten"].at[2023, "A"] == pytest.approx(verwacht)
    assert uit["kandidaten"].loc[:, "B"].tolist() == [41.0, 41.0, 41.0]  # a flat cohort holds the level
    assert uit["techniek"].at[2025, "A"] == pytest.approx(uit["kandidaten"].at[2025, "A"] / 4)


def test_met_regioaandeel_mengt_per_regio_en_houdt_de_verdeling_binnen_de_regio():
    """Region total = (1 - w) x own + w x (its share over the last three years) x national total;
    vestigingen keep their place in the region; before `vanaf` and outside regions nothing moves."""
    jaren = pd.RangeIndex(2018, 2021, name="jaar")
    geschiedenis = pd.DataFrame({"A": [10.0, 10, 10], "B": [30.0, 30, 30], "C": [60.0, 60, 60], "X": [0.0, 0, 0]},
                                index=jaren)
    uit = pd.DataFrame({"A": [20.0, 20], "B": [20.0, 20], "C": [60.0, 60], "X": [5.0, 5]},
                       index=pd.RangeIndex(2021, 2023, name="jaar"))
    regio_van = pd.Series({"A": 1, "B": 1, "C": 2})  # X belongs to no region
    m = pg.met_regioaandeel({"k": geschiedenis}, {"k": uit}, regio_van, vanaf=2, gewicht=0.5)["k"]
    assert m.loc[2021].tolist() == uit.loc[2021].tolist()  # h = 1 < vanaf
    nationaal = 105.0  # the forecast's own national total
    regio1 = 0.5 * 40 + 0.5 * (40 / 100) * nationaal  # share of region 1 over 2018-2020: 40 of 100
    assert m.at[2022, "A"] + m.at[2022, "B"] == pytest.approx(regio1)
    assert m.at[2022, "A"] == pytest.approx(m.at[2022, "B"])  # the split inside the region holds
    assert m.at[2022, "C"] == pytest.approx(0.5 * 60 + 0.5 * 0.6 * nationaal)
    assert m.at[2022, "X"] == 5.0
    assert pg.met_regioaandeel({"k": geschiedenis}, {"k": uit}, None)["k"].equals(uit)


def test_kruiscontrole_deelname_over_de_regios():
    """Participation fitted on the other half of the regions: exact where every region has the
    same rate, off by the known amount where one region differs; each area counts once."""
    jaren = [2004, 2005]
    per_v = pd.DataFrame(100.0, index=pd.Index(list("ABCDE"), name="vestigingscode"), columns=jaren)
    per_v.attrs["gebied"] = pd.Series({"A": "971", "B": "971", "C": "972", "D": "101", "E": "102"})
    regio_van = pd.Series({"A": 1, "B": 1, "C": 2, "D": 3, "E": 4})
    # region 1: two vestigingen in one area (200 residents once) -> 100 pupils: rate 0.5 everywhere
    tel = pd.DataFrame({"totaal": [50.0, 50, 100, 100, 100]}, index=per_v.index)
    k = demografie.kruiscontrole(tel, per_v, regio_van, jaren).set_index("fit")
    assert k["mape"].tolist() == pytest.approx([0.0, 0.0, 0.0]) and k["n"].tolist() == [4, 4, 4]
    tel.loc["E", "totaal"] = 50.0  # region 4 at half the rate (0.25 of its 200 residents)
    k = demografie.kruiscontrole(tel, per_v, regio_van, jaren).set_index("fit")
    # folds: regions 1, 3 from 2, 4 (rate 150/400: both 25% low); 2, 4 from 1, 3 (rate 0.5: 0 and 100%)
    assert k.at["helft", "mape"] == pytest.approx((0.25 + 0.25 + 0 + 1.0) / 4)
    # the national rate (350/800) is 12.5% low for regions 1-3 and 75% high for region 4
    assert k.at["land", "mape"] == pytest.approx((3 * 0.125 + 0.75) / 4)
    assert demografie.kruiscontrole(tel, per_v, None, jaren).empty


# -- brugjaar-only locations ------------------------------------------------------------------
def _bestand(rijen: dict[str, tuple]) -> pd.DataFrame:
    return pd.DataFrame(rijen, index=["lj1", "lj2", "lj3", "lj4", "lj3_alle"], dtype="float64").T


def test_leerlingen_van_een_brugjaarlocatie_gaan_naar_leerjaar_3_elders():
    """A location with brugjaren only sends its pupils, times its instelling's vmbo share, to the
    instelling's vestigingen with vmbo leerjaar 3; with no such vestiging, to its region's."""
    c = _bestand({"AB1200": (100, 90, 60, 55, 100),  # vmbo and havo: vmbo share 0.6
                  "AB1201": (50, 40, 0, 0, 0),  # brugjaar only, same instelling
                  "CD3400": (30, 20, 0, 0, 0),  # brugjaar only, its instelling has no leerjaar 3
                  "EF5600": (0, 0, 80, 70, 80)})  # vmbo only, same region as CD3400
    regio = pd.Series({"AB1200": 1, "AB1201": 1, "CD3400": 2, "EF5600": 2})
    b = pg.vmbo_brugjaren(c, regio)
    assert b.loc[["AB1201", "CD3400"]].to_numpy().sum() == 0  # nobody stays at a brugjaar-only location
    eigen = pg.gekrompen(c["lj3"], c["lj3_alle"], regio)
    assert b.at["AB1200", "lj1"] == pytest.approx(100 * eigen["AB1200"] + 50 * 0.6)
    assert b.at["AB1200", "lj2"] == pytest.approx(90 * eigen["AB1200"] + 40 * 0.6)
    # CD3400's instelling has no leerjaar 3: its region's share (EF5600: all vmbo) and receiver
    assert b.at["EF5600", "lj1"] == pytest.approx(30 * 1.0)
    # and the exam forecast three and four years ahead counts them
    p = {"kandidaten": pd.DataFrame({k: [10.0] * 5 for k in c.index}, index=pd.RangeIndex(2014, 2019, name="jaar"))}
    k = pg.examen_cohort_model({2019: c}, regio)(p, 4)["kandidaten"]
    assert k.loc[2022].sum() == pytest.approx(b["lj1"].sum())
    assert k.loc[2022].sum() > (c["lj1"] * eigen).drop(["AB1201", "CD3400"]).sum() + 0.6 * 50 + 30 - 1e-9


@pytest.mark.realdata
def test_brugjaarlocaties_op_de_echte_data(real_data):
    """On the 2019 file every brugjaar-only location's pupils reach a vestiging with leerjaar 3."""
    ds = store.laad(real_data)
    c = pg.cohorten(ds.leerlingen)[2019]
    ind = actieve_indeling(ds)
    regio = ind.tabel.set_index("vestigingscode")["regionummer"]
    alleen = c[(c["lj3_alle"] == 0) & (c["lj1"] + c["lj2"] > 0)]
    assert len(alleen) > 50 and alleen["lj1"].sum() > 5_000
    b = pg.vmbo_brugjaren(c, regio)
    assert b.loc[alleen.index].to_numpy().sum() == 0
    zonder = c[["lj1", "lj2"]].mul(pg.gekrompen(c["lj3"], c["lj3_alle"], regio), axis=0).drop(alleen.index).sum()
    extra = b.sum() - zonder
    # what arrives lies between nothing and every pupil of those locations, and is a large share
    assert (extra > 0.2 * alleen[["lj1", "lj2"]].sum()).all() and (extra <= alleen[["lj1", "lj2"]].sum() + 1e-6).all()


# -- no hindsight -----------------------------------------------------------------------------
def _vergiftigd(examens, leerlingen, bevolking, o: int):
    """Everything a forecaster at origin `o` could not know, replaced by garbage: exam years after
    o (other numbers, a new vestiging), student files after teldatum o + 1, residents counted after o."""
    e = examens.copy()
    later = e["jaar"] > o
    e.loc[later, "kandidaten"] = (e.loc[later, "kandidaten"].fillna(1) * 1000 + 7).astype("Int64")
    nieuw = e[later].head(20).assign(vestigingscode="99ZZ01", instellingscode="99ZZ")
    e = pd.concat([e, nieuw], ignore_index=True)
    basis = leerlingen[leerlingen["jaar"] == leerlingen["jaar"].min()]
    rommel = basis.assign(jaar=o + 2, aantal=(basis["aantal"].fillna(1) * 1000).astype("Int64"))
    ll = pd.concat([leerlingen[leerlingen["jaar"] <= o + 1], rommel,
                    rommel.assign(vestigingscode="99ZZ02", jaar=o + 3)], ignore_index=True)
    b = bevolking[bevolking["peiljaar"] <= o] if bevolking is not None else None
    if bevolking is not None:
        b = pd.concat([b, bevolking.assign(peiljaar=o + 1, inwoners=(bevolking["inwoners"] * 3 + 11))],
                      ignore_index=True)
    return e, ll, b


def _vergelijk_oorsprong(examens, leerlingen, bevolking, vestigingen, regio_van, o: int, deel: str):
    schoon = pp.examen_invoer(examens, leerlingen, bevolking, vestigingen, regio_van)
    vies = pp.examen_invoer(*_vergiftigd(examens, leerlingen, bevolking, o), vestigingen, regio_van)
    assert schoon[4](o) == vies[4](o) == deel
    uit = []
    for panelen, _, _, model, _ in (schoon, vies):
        uit.append(model({k: t.loc[:o] for k, t in panelen.items()}, 4))
    for reeks in ("kandidaten", "techniek"):
        a, b = uit[0][reeks], uit[1][reeks]
        assert a.to_numpy().sum() > 0
        pd.testing.assert_frame_equal(a, b[a.columns], check_names=False)
        assert (b.drop(columns=a.columns).to_numpy() == 0).all()  # a vestiging unknown at o gets nothing
        if regio_van is not None:  # the region and national sums of the backtest are the same too
            for niveau in ("regio", "landelijk"):
                x, y = bt._niveaus(a, regio_van)[niveau], bt._niveaus(b, regio_van)[niveau]
                pd.testing.assert_frame_equal(x, y[x.columns], check_names=False, check_column_type=False)


def test_geen_terugblik_op_de_testbestanden():
    """Cohort part (origin 2018, file 2019) and demographic part (origin 2021, residents of 2021):
    poisoning everything after the origin changes no forecast made from it."""
    ds = store.laad(FIXTURES / "raw")
    postcodes = sorted({str(p)[:3] for p in ds.vestigingen["postcode"].dropna()} | {"99"})
    bev = _bevolking({g: [400 + 10 * i, 420, 450 - 5 * i, 470, 480] for i, g in enumerate(postcodes)})
    regio = actieve_indeling(ds).tabel.set_index("vestigingscode")["regionummer"]
    _vergelijk_oorsprong(ds.examens, ds.leerlingen, bev, ds.vestigingen, regio, 2018, "cohort")
    _vergelijk_oorsprong(ds.examens, ds.leerlingen, bev, ds.vestigingen, regio, 2021, "demografie")


@pytest.mark.realdata
def test_geen_terugblik_op_de_echte_data(real_data):
    ds = store.laad(real_data)
    regio = actieve_indeling(ds).tabel.set_index("vestigingscode")["regionummer"]
    _vergelijk_oorsprong(ds.examens, ds.leerlingen, ds.bevolking, ds.vestigingen, regio, 2018, "cohort")
    _vergelijk_oorsprong(ds.examens, ds.leerlingen, ds.bevolking, ds.vestigingen, regio, 2021, "demografie")


@pytest.mark.realdata
def test_na_de_data_een_prognose_geen_laatste_waarde(real_data):
    """From 2024 on every page shows the demographic forecast, with the technical series; the
    comparison's growth comes from it and is not 0 for every region."""
    ctx = open_context(real_data)
    land = ctx.selectie().prognose
    assert land.toont == "model" and land.getoond == ["kandidaten", "techniek"]
    punten = land.reeksen["kandidaten"].tot(5)
    assert [x.jaar for x in punten] == [2024, 2025, 2026, 2027, 2028]
    assert len({x.punt for x in punten}) == 5  # not one value held
    groei = ctx.vergelijking["prognose_groei"].dropna()
    assert len(groei) > 50 and (groei.round(6) != 0).mean() > 0.9
    # the national technical pupils: the 2019 count (22,913 in the five profielen, SOURCES.md) on
    assert land.leerlingen["techniek"].historie == {2019: 22_913}


def test_cohortmethode_gebruikt_de_inwoners_pas_vanaf_hun_teljaar():
    """Several student files (the demo): the inflow follows the birth cohorts of the residents'
    count from the origin it was made in (2021) on, and not before (no hindsight)."""
    ds = store.laad(None)
    ind = actieve_indeling(ds)
    assert ds.bevolking is not None and set(ds.bevolking["peiljaar"].dropna()) == {2021}
    met = pp.bereken("leerlingen", ds.leerlingen, ind, bevolking=ds.bevolking, vestigingen=ds.vestigingen)
    zonder = pp.bereken("leerlingen", ds.leerlingen, ind, vestigingen=ds.vestigingen)

    def model(b, eerder):
        v = b.voorspellingen
        v = v[(v["model"] == "model") & (v["niveau"] == "vestiging") & (v["reeks"] == "totaal")]
        return v[(v["oorsprong"] < 2021) == eerder].set_index(["oorsprong", "jaar", "eenheid"])["voorspeld"]

    pd.testing.assert_series_equal(model(met, True), model(zonder, True))
    verschil = (model(met, False) - model(zonder, False)).abs()
    assert verschil[verschil.index.get_level_values("jaar") >= verschil.index.get_level_values("oorsprong") + 3].max() > 1
    assert "geboortejaar dat dan in leerjaar 1 komt" in met.methode


def test_basisschoolleerlingen_per_gemeente_gaan_voor_de_cbs_inwoners():
    """DUO's primary-school pupils by age per gemeente (when the data has them) are the birth
    cohorts: aged a on 1 October P is born in P - a; a vestiging counts with its gemeente's;
    suppressed cells by the one rule; special schools (SO) left out."""
    from regioportret.sources import herken

    po = herken(FIXTURES / "portaal" / "gemeente_leeftijd.csv").lees()
    tabellen, bron, methode = demografie.geboortecohorten(_bevolking({"80": [10] * 5}), po)
    assert bron == demografie.PO_BRON and set(tabellen) == {2023, 2024} and "basisonderwijs" in methode
    t = tabellen[2024]
    ruw = pd.read_csv(FIXTURES / "portaal" / "gemeente_leeftijd.csv", sep=";", dtype=str)
    rij = ruw[(ruw["GEMEENTENUMMER"] == "0193") & (ruw["PEILJAAR"] == "2024") & (ruw["LEEFTIJD"] == "10")
              & (ruw["TYPE_PO"] == "BO")]
    assert t.at["GM0193", 2014] == float(rij["AANTAL_LEERLINGEN"].iloc[0])  # aged 10 on 1 October 2024
    vest = pd.DataFrame({"vestigingscode": ["99AA00", "99AA01", "99CC00"], "postcode": ["8011AB", "8261CD", "1011AA"],
                         "gemeentecode": ["0193", "0166", "0999"]})
    pv = demografie.per_vestiging(t, vest, vest["vestigingscode"])
    assert pv.loc["99AA00"].tolist() == t.loc["GM0193"].tolist() and pv.loc["99AA01"].tolist() == t.loc["GM0166"].tolist()
    assert pv.loc["99CC00"].tolist() == pytest.approx(t.sum().tolist())  # no such gemeente: the country
    # without the pupils' file, the CBS residents as before
    assert demografie.geboortecohorten(_bevolking({"80": [10] * 5}), None)[1] == demografie.BRON


# -- where a vestiging's pupils live (DUO's pupils by home postcode) ----------------------------
def _woonplaatsen(rijen: list[tuple], jaar: int = 2020) -> pd.DataFrame:
    """(vestigingscode, pc4, aantal or None for '<5') per row, all in leerjaar 1."""
    return pd.DataFrame([{"jaar": jaar, "vestigingscode": v, "pc4": pc, "leerjaar": 1,
                          "aantal": pd.NA if n is None else n, "onderdrukt": n is None, "bron": "test"}
                         for v, pc, n in rijen]).astype({"aantal": "Int64"})


def test_vestiging_telt_met_de_gebieden_waar_haar_leerlingen_wonen():
    """With DUO's pupils by home postcode a vestiging counts its share of every PC4 its pupils
    come from (checked by hand); one not in that file keeps its PC3 area; '<5' counts by the one
    rule; a file after the count's year is not used (no hindsight)."""
    from regioportret.model.onderdrukking import ONDERDRUKT_SCHATTING

    c = demografie.cohorten(_bevolking({"1011": [100, 110, 120, 130, 140], "1012": [50, 50, 50, 50, 50],
                                        "1021": [200, 180, 160, 140, 120]}))[2021]
    vestigingen = pd.DataFrame({"vestigingscode": ["A", "B", "C"], "postcode": ["1011AB", "1021CD", "1012EF"]})
    w = _woonplaatsen([("A", "1011", 30), ("A", "1021", 10), ("B", "1011", 10), ("B", "1012", None)])
    h = demografie.herkomst(w, 2021)
    assert h[1] == 2020
    assert h[0].loc["A", "1011"] == pytest.approx(0.75) and h[0].loc["A", "1021"] == pytest.approx(1.0)
    assert h[0].loc["B", "1012"] == pytest.approx(1.0) and ONDERDRUKT_SCHATTING > 0
    p = demografie.per_vestiging(c, vestigingen, ["A", "B", "C"], h)
    pd.testing.assert_series_equal(p.loc["A"], 0.75 * c.loc["1011"] + c.loc["1021"], check_names=False)
    pd.testing.assert_series_equal(p.loc["B"], 0.25 * c.loc["1011"] + c.loc["1012"], check_names=False)
    pd.testing.assert_series_equal(p.loc["C"], c.loc["101"], check_names=False)  # not in the file: its PC3
    assert p.attrs["met_herkomst"] == 2 and p.attrs["herkomst"] == 2020
    # the cross-check counts each catchment once and still reads the landsdeel from the postcode
    assert p.attrs["gebied"].to_dict() == {"A": "101:A", "B": "102:B", "C": "101"}
    assert demografie.herkomst(w, 2019) is None  # a file counted after the residents is not used
    assert demografie.herkomst(None, 2021) is None


def test_prognose_met_herkomst_noemt_de_invoer():
    """On the demo data (residents per PC4): pupils' homes change the forecast after the data
    (every vestiging drawing from one shrinking PC4 area), and the method and the source say so."""
    ds = store.laad(FIXTURES.parent.parent / "data" / "demo")
    ind = actieve_indeling(ds)
    bev = ds.bevolking
    pc4 = bev.loc[bev["gebied"].astype(str).str.len() == 4, "gebied"].astype(str)
    peiljaar = int(bev["peiljaar"].max())
    kleinste = pc4.iloc[0]
    w = _woonplaatsen([(v, kleinste, 20) for v in ds.leerlingen["vestigingscode"].unique()], jaar=peiljaar)
    kwargs = {"bevolking": bev, "vestigingen": ds.vestigingen}
    zonder = pp.bereken("leerlingen", ds.leerlingen, ind, **kwargs)
    met = pp.bereken("leerlingen", ds.leerlingen, ind, woonplaatsen=w, **kwargs)
    assert "naar postcode leerling" in met.bevolking and "naar postcode leerling" not in zonder.bevolking
    zin = "waar de leerlingen van de vestiging wonen"
    assert zin in met.methode and zin not in zonder.methode
    a, b = zonder.voorspelling["totaal"].sum(axis=1), met.voorspelling["totaal"].sum(axis=1)
    assert not np.allclose(a.to_numpy(), b.to_numpy())


def test_deelname_spreiding_met_de_hand():
    """The spread of the participation the demographic method holds fixed: per region and year
    pair, count / (last year's count x its birth cohort's growth) - 1; the 10% and 90% points over
    all of them; a region under MIN_BASIS does not count; only the last `jaren` pairs."""
    jaren = pd.RangeIndex(2015, 2020, name="jaar")
    k = pd.DataFrame({"A": [100.0, 110, 99, 120, 120], "B": [200.0, 190, 200, 210, 180],
                      "K": [1.0, 5, 1, 9, 1]}, index=jaren)
    pv = pd.DataFrame({j - 15: [100.0 + 10 * i, 100.0, 50.0] for i, j in enumerate(jaren)},
                      index=["A", "B", "K"])  # A's birth cohorts grow by 10 a year, B's stay
    regio = pd.Series({"A": 1, "B": 2, "K": 3})
    s = pg.deelname_spreiding({"kandidaten": k}, pv, lambda j: [j - 15], regio, jaren=3)
    waarden = []
    for j in (2017, 2018, 2019):
        g_a = (100 + 10 * (j - 2015)) / (100 + 10 * (j - 2016))
        waarden += [k.at[j, "A"] / (k.at[j - 1, "A"] * g_a) - 1, k.at[j, "B"] / k.at[j - 1, "B"] - 1]
    assert s["kandidaten"] == pytest.approx((np.quantile(waarden, 0.1), np.quantile(waarden, 0.9)))
    assert pg.deelname_spreiding({"kandidaten": k[["K"]]}, pv, lambda j: [j - 15], regio) == {}
    # without residents: the level the last value holds fixed, how far the count itself moved
    zonder = [k.at[j, c] / k.at[j - 1, c] - 1 for j in (2017, 2018, 2019) for c in ("A", "B")]
    assert pg.deelname_spreiding({"kandidaten": k}, None, lambda j: [j - 15], regio, jaren=3)["kandidaten"] == \
        pytest.approx((np.quantile(zonder, 0.1), np.quantile(zonder, 0.9)))


@pytest.mark.realdata
def test_demografie_zonder_backtest_krijgt_het_bereik_uit_de_invoer(real_data):
    """The exam files up to 2021-2022 with the residents of 1 January 2021: the demographic method
    is shown from 2022 and could not be scored at any origin (the count is from the last year), so
    each point carries the range from the spread of the participation, sqrt(h) as wide h years
    ahead; what happened in 2022-2023 and 2023-2024 lies inside it, for the country and region 18."""
    ds = store.laad(real_data)
    ind = actieve_indeling(ds)
    b = pp.bereken("examenkandidaten", ds.examens[ds.examens["jaar"] <= 2021], ind, bevolking=ds.bevolking,
                   vestigingen=ds.vestigingen, leerlingen=ds.leerlingen)
    assert b.onderdelen == {2018: "cohort"} and b.bereik["soort"] == "demografie"
    assert "spreiding van de invoer" in b.methode
    lo, hi = b.bereik["spreiding"]["techniek"]
    assert lo < 0 < hi
    echt = pg.examen_panelen(ds.examens)
    regio18 = ind.tabel.loc[ind.tabel["regionummer"] == 18, "vestigingscode"].tolist()
    for vestigingen in (None, regio18):
        t = pp.prognose(b, vestigingen).tabel
        t = t[t["reeks"].isin(["kandidaten", "techniek"])].set_index(["reeks", "jaar"])
        assert (t["band_niveau"] == pp.INVOER).all()
        tech = t.loc["techniek"]
        assert (tech["onder"] / tech["punt"] - 1).to_numpy() == pytest.approx(lo * np.sqrt(tech["h"].to_numpy()))
        for (reeks, jaar), r in t.iterrows():
            if jaar in (2022, 2023):
                w = echt[reeks].loc[jaar]
                w = w.sum() if vestigingen is None else w.reindex(vestigingen).sum()
                assert r["onder"] <= w <= r["boven"], (reeks, jaar)
