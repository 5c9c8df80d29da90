"""The forecast: known ratios are recovered, the backtest cannot see the future, the bands
cover about their share, the readers of the optional inputs, the CLI contract."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from hulp import DEMO, FIXTURES
from regioportret import cli, store
from regioportret.context import Context, actieve_indeling
from regioportret.errors import DataFout
from regioportret.model import backtest as bt
from regioportret.model import prognose as pg
from regioportret.model import prognoseportret as pp
from regioportret.model.onderdrukking import ONDERDRUKT_SCHATTING
from regioportret.sources import bevolking, duoprognose, herken

P2, P3, P4 = 0.96, 0.55, 0.98  # known progression ratios of the synthetic school
INSTROOM = 200
AANDEEL = {("BB", "BWI"): 0.20, ("KB", "PIE"): 0.15, ("KB", "EO"): 0.25, ("GL", "ZWE"): 0.15, ("TL", None): 0.25}


def _synthetisch(jaren=range(2012, 2022), instroom=INSTROOM) -> pd.DataFrame:
    """One vestiging with exact cohort progression and fixed leerweg/profiel shares."""
    rijen = []
    lj = {1: instroom, 2: instroom * P2, 3: instroom * P2 * P3, 4: instroom * P2 * P3 * P4}
    for j in jaren:
        for k in (1, 2):
            rijen.append((j, k, None, None, lj[k]))
        for k in (3, 4):
            for (lw, prof), a in AANDEEL.items():
                rijen.append((j, k, lw, prof, lj[k] * a))
    d = pd.DataFrame(rijen, columns=["jaar", "leerjaar", "leerweg", "profiel", "aantal"])
    return d.assign(vestigingscode="99XX00", onderdrukt=False)


def test_cohort_recovers_known_ratios_and_shares():
    p = pg.leerlingen_panelen(_synthetisch())
    for k, r in ((2, P2), (3, P3), (4, P4)):
        assert pg._doorstroom(p[f"lj{k}"], p[f"lj{k - 1}"]).iloc[0] == pytest.approx(r)
    v = pg.cohort_model(p, 4)
    totaal = INSTROOM * P2 * P3 * (1 + P4)
    assert v["totaal"].iloc[:, 0].to_numpy() == pytest.approx([totaal] * 4)
    assert v["techniek"].iloc[0, 0] == pytest.approx(totaal * (0.20 + 0.15))
    assert v["BWI"].iloc[0, 0] == pytest.approx(totaal * 0.20)
    assert v["TL"].iloc[0, 0] == pytest.approx(totaal * 0.25)
    assert list(v["totaal"].index) == [2022, 2023, 2024, 2025]


def test_cohort_follows_a_change_in_inflow_through_the_years():
    """A bigger lj1 cohort reaches lj3 two years later and lj4 three years later."""
    d = _synthetisch()
    groot = (d["jaar"] == 2021) & (d["leerjaar"] == 1)
    d.loc[groot, "aantal"] = 300
    v = pg.cohort_model(pg.leerlingen_panelen(d), 4)
    gewoon = INSTROOM * P2 * P3
    assert v["lj3"].loc[2023].iloc[0] == pytest.approx(300 * P2 * P3)
    assert v["lj3"].loc[2022].iloc[0] == pytest.approx(gewoon)
    assert v["lj4"].loc[2024].iloc[0] == pytest.approx(300 * P2 * P3 * P4)


def test_inflow_follows_the_birth_cohorts():
    """With residents by age the inflow in leerjaar 1 is the mean of the last three years times
    the size of the birth year entering then against those of the three years; a birth year
    after the count holds the last factor."""
    p = pg.leerlingen_panelen(_synthetisch())  # lj1 known 2012-2021: inflow from 2019-2021 (born 2007-2009)
    jaren = list(range(1996, 2021))  # a count of 1 January 2021: born 1996-2020
    per_v = pd.DataFrame([[100.0 + 10 * (j - 2007) for j in jaren]], index=["99XX00"], columns=jaren)
    f = pg.instroom_factor(per_v, p["lj1"], 12)
    basis = (100 + 110 + 120) / 3
    assert f.at[2022, "99XX00"] == pytest.approx((100 + 10 * (2010 - 2007)) / basis)  # 2022's lj1: born 2010
    assert f.at[2032, "99XX00"] == pytest.approx((100 + 10 * (2020 - 2007)) / basis)  # born 2020, the last
    assert f.at[2033, "99XX00"] == f.at[2032, "99XX00"]  # born 2021: not counted, the factor holds
    v = pg.cohort_model(p, 3, f)
    assert v["lj1"].iloc[:, 0].to_numpy() == pytest.approx(INSTROOM * f.loc[2022:2024, "99XX00"].to_numpy())
    assert pg.cohort_model(p, 3)["lj1"].iloc[:, 0].tolist() == pytest.approx([INSTROOM] * 3)


def test_pc4_tables_give_their_pc3_and_pc2_areas():
    from regioportret.model import demografie

    b = pd.DataFrame({"gebied": ["9711", "9712", "9801"], "soort": "postcode", "leeftijd_van": 10,
                      "leeftijd_tot": 14, "inwoners": [10, 20, 40], "peiljaar": 2021, "bron": "t"})
    b = b.astype({"inwoners": "Int64", "peiljaar": "Int64"})
    c = demografie.cohorten(b)[2021]
    assert c.loc["971"].sum() == pytest.approx(30) and c.loc["97"].sum() == pytest.approx(30)
    assert c.loc["98"].sum() == pytest.approx(40) and c.loc["9711"].sum() == pytest.approx(10)


def test_baselines_on_a_straight_line():
    t = pd.DataFrame({"a": [1.0, 2, 3, 4, 5, 6]}, index=pd.RangeIndex(2010, 2016, name="jaar"))
    p = {"x": t}
    assert pg.BASISLIJNEN["laatste_waarde"](p, 2)["x"]["a"].tolist() == [6, 6]
    assert pg.BASISLIJNEN["gemiddelde_3j"](p, 2)["x"]["a"].tolist() == [5, 5]
    assert pg.BASISLIJNEN["lineaire_trend_5j"](p, 2)["x"]["a"].tolist() == pytest.approx([7, 8])


def test_suppressed_cells_enter_as_midpoint():
    d = _synthetisch(range(2018, 2020)).head(3).copy()
    d["aantal"] = d["aantal"].astype(object)
    d.loc[d.index[0], ["aantal", "onderdrukt"]] = [None, True]
    p = pg.leerlingen_panelen(d)
    assert p["lj1"].loc[2018].iloc[0] == ONDERDRUKT_SCHATTING


def test_missing_year_is_unknown_not_zero():
    d = _synthetisch(range(2012, 2022))
    d = d[d["jaar"] != 2016]
    p = pg.leerlingen_panelen(d)
    assert p["totaal"].loc[2016].isna().all()
    assert pg._doorstroom(p["lj3"], p["lj2"]).iloc[0] == pytest.approx(P3)


def _panelen_demo(demo_ds):
    return pg.leerlingen_panelen(demo_ds.leerlingen)


def test_backtest_never_sees_after_the_origin(demo_ds):
    """Garbage after the origin changes nothing forecast from that origin; and every model
    call gets exactly the years up to its origin."""
    p = _panelen_demo(demo_ds)
    gezien = []

    def spion(hist, h):
        gezien.append({k: int(t.index.max()) for k, t in hist.items()})
        return pg.cohort_model(hist, h)

    modellen = {"model": spion, **pg.BASISLIJNEN}
    v = bt.voorspellingen(p, modellen, ["totaal"])
    origins = sorted(v["oorsprong"].unique())
    assert [set(g.values()) for g in gezien] == [{o} for o in origins]
    grens = origins[2]
    vervuild = {k: t.copy() for k, t in p.items()}
    for t in vervuild.values():
        t.loc[t.index > grens] = t.loc[t.index > grens] * 7 + 1000
    w = bt.voorspellingen(vervuild, {"model": pg.cohort_model, **pg.BASISLIJNEN}, ["totaal"])
    kol = ["oorsprong", "jaar", "model", "niveau", "eenheid", "voorspeld"]
    voor = v[v["oorsprong"] <= grens][kol].sort_values(kol[:5]).reset_index(drop=True)
    na = w[w["oorsprong"] <= grens][kol].sort_values(kol[:5]).reset_index(drop=True)
    pd.testing.assert_frame_equal(voor, na)
    assert (v["jaar"] > v["oorsprong"]).all() and v["h"].between(1, bt.HORIZON).all()


def test_error_table_against_independent_computation():
    v = pd.DataFrame({
        "reeks": "x", "oorsprong": 2020, "jaar": 2021, "h": 1, "niveau": "regio", "eenheid": ["1", "2", "3"] * 2,
        "model": ["model"] * 3 + ["laatste_waarde"] * 3,
        "voorspeld": [110.0, 90.0, 5.0, 100.0, 100.0, 0.0], "werkelijk": [100.0, 100.0, 0.0] * 2})
    f = bt.fouten(v).set_index("model")
    assert f.loc["model", "mae"] == pytest.approx((10 + 10 + 5) / 3)
    assert f.loc["model", "mape"] == pytest.approx(0.10)  # the unit with actual 0 is left out
    assert f.loc["model", "n_mape"] == 2
    assert f.loc["model", "bias"] == pytest.approx((10 - 10 + 5) / 3)
    assert f.loc["laatste_waarde", "mape"] == 0
    assert np.isinf(f.loc["model", "ratio_best_baseline"])


def test_cohort_beats_baselines_on_demo_and_bands_cover_out_of_sample(demo_ds):
    """The demo has cohort dynamics, so the method must beat the naive baselines at region
    level; a band built on early origins must cover roughly 80% of the later ones."""
    b = Context(demo_ds, actieve_indeling(demo_ds))._prognose_bereken()
    assert b.soort == "leerlingen"
    ratio = bt.ratio_tabel(b.fouten, "totaal")
    assert (ratio.loc["regio", [1, 2, 3]] < 0.8).all()
    v = b.voorspellingen
    origins = sorted(v["oorsprong"].unique())
    vroeg, laat = v[v["oorsprong"] <= origins[len(origins) // 2]], v[v["oorsprong"] > origins[len(origins) // 2]]
    dekking = bt.dekking(laat, bt.interval_factoren(vroeg))
    d = dekking[(dekking["niveau"] != "landelijk") & (dekking["reeks"] == "totaal")]
    assert d["dekking"].mean() == pytest.approx(0.8, abs=0.15)
    binnen = bt.dekking(v, b.factoren)
    assert binnen[binnen["niveau"] == "regio"]["dekking"].between(0.7, 0.9).all()


def test_selection_sums_vestigingen_and_band_from_region_level(demo_ds):
    ind = actieve_indeling(demo_ds)
    b = Context(demo_ds, ind).prognose
    nr = int(ind.regios["regionummer"].iloc[0])
    vest = ind.tabel.loc[ind.tabel["regionummer"] == nr, "vestigingscode"].tolist()
    p = pp.prognose(b, vest)
    assert p.niveau == "regio"
    onafhankelijk = b.voorspelling["totaal"][vest].sum(axis=1)
    assert p.reeks("totaal")["punt"].to_numpy() == pytest.approx(onafhankelijk.to_numpy())
    # History = the counted leerjaar 3-4 students, suppressed cells at 2.5 each.
    l34 = demo_ds.leerlingen
    l34 = l34[l34["vestigingscode"].isin(vest) & l34["leerweg"].notna() & l34["leerjaar"].isin([3, 4])]
    n = l34["aantal"].astype(float).fillna(ONDERDRUKT_SCHATTING).groupby(l34["jaar"]).sum()
    assert p.historie["totaal"].to_numpy() == pytest.approx(n.to_numpy())
    f = b.factoren.set_index(["reeks", "niveau", "h"])
    for _, x in p.reeks("totaal").iterrows():  # the band from the backtest, always holding its point
        k = f.loc[("totaal", "regio", x["h"])]
        assert x["onder"] == pytest.approx(max(min(x["punt"] * (1 + k["onder"]), x["punt"]), 0))
        assert x["boven"] == pytest.approx(max(x["punt"] * (1 + k["boven"]), x["punt"]))
    assert pp.prognose(b, None).niveau == "landelijk"
    assert pp.prognose(b, vest[:1]).niveau == "vestiging"


def test_cli_prognose_json(capsys):
    assert cli.main(["prognose", "--regio", "12", "--horizon", "3", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["soort"] == "leerlingen" and d["regios"][0]["regionummer"] == 12
    prog = d["reeksen"]["totaal"]["prognose"]
    assert [x["jaar"] for x in prog] == [d["oorsprong"] + h for h in (1, 2, 3)]
    assert all(x["onder"] <= x["boven"] for x in prog)
    assert set(d["backtest_h3"]) == {"totaal", "techniek"}
    assert set(d["backtest_h3"]["totaal"]) >= {"mape", "ratio_best_baseline"}


def test_cli_backtest_json(capsys):
    assert cli.main(["prognose", "--backtest", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert set(d["ratio_best_baseline"]) == {"totaal", "techniek"}
    assert set(d["ratio_best_baseline"]["totaal"]) == {"vestiging", "regio", "landelijk"}
    modellen = {r["model"] for r in d["fouten"]}
    assert modellen == {"model", "laatste_waarde", "lineaire_trend_5j", "gemiddelde_3j"}
    assert {r["h"] for r in d["fouten"]} == {1, 2, 3, 4}
    assert d["duo"] is None


def test_cli_bad_horizon(capsys):
    assert cli.main(["prognose", "--horizon", "0"]) == 1
    assert "horizon" in capsys.readouterr().err


# -- readers of the optional inputs ------------------------------------------------------------
def test_population_readers_both_layouts():
    g = herken(FIXTURES / "cbs" / "inwoners-gemeente-leeftijd-2020.csv")
    assert g.layout == "cbs-bevolking-gemeente"
    d = g.lees()
    assert d.loc[(d["gebied"] == "GM0014") & (d["leeftijd_van"] == 10), "leeftijd_tot"].item() == 19  # 'okt-19'
    assert d["peiljaar"].unique().tolist() == [2020]
    p = herken(FIXTURES / "cbs" / "inwoners-per-postcode-leeftijd-2021.csv").lees()
    assert p.loc[(p["gebied"] == "9711") & (p["leeftijd_van"] == 5), "inwoners"].isna().all()  # empty: unknown
    assert p["peiljaar"].unique().tolist() == [2021]


def test_population_reader_bad_band(tmp_path):
    f = tmp_path / "bevolking-2021.csv"
    f.write_text("postcode,leeftijd,inwoners\n97,0-4,10\n97,tien,5\n", encoding="utf-8")
    with pytest.raises(DataFout) as e:
        herken(f).lees()
    assert "regel 3" in str(e.value) and "LEEFTIJD" in str(e.value)


def _duo_bestand(ds, pad, factor=1.1, oorsprong=2019):
    """A DUO leerlingenprognose in its layout: realised VMBO counts up to the origin, then the
    actual counts times `factor` (so its error is known exactly)."""
    w = pp._werkelijk_per_instelling(ds.leerlingen, "VMBO")
    kop = ["BRIN NUMMER", "INSTELLINGSNAAM"] + [f"VMBO.{j}" for j in w.index] + [f"HAVO.{j}" for j in w.index]
    regels = [";".join(kop)]
    for inst in w.columns:
        vmbo = [w.at[j, inst] * (1 if j <= oorsprong else factor) for j in w.index]
        regels.append(";".join([inst, "School"] + [f"{x:.1f}".replace(".", ",") for x in vmbo] + ["0"] * len(w.index)))
    pad.write_text("\n".join(regels) + "\n", encoding="latin-1")


def test_duo_prognose_scored_with_the_same_harness(demo_ds, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(DEMO, raw)
    _duo_bestand(demo_ds, raw / "11-leerlingenprognose-vo-2015-2024.csv")
    assert herken(raw / "11-leerlingenprognose-vo-2015-2024.csv").layout == "duo-leerlingenprognose-vo"
    f = Context(store.laad(raw), actieve_indeling(demo_ds)).score_duo()
    duo = f[(f["model"] == "duo") & (f["niveau"] == "instelling")]
    assert sorted(duo["h"]) == [1, 2, 3, 4, 5]
    assert duo["mape"].to_numpy() == pytest.approx(0.1, abs=1e-3)  # 10% too high (file rounds to 0.1)
    assert duo["bias"].gt(0).all()
    assert set(f["model"]) == {"duo", *pg.BASISLIJNEN}


def test_duo_voprognoses_lang_formaat(demo_ds, tmp_path):
    """DUO's portal publishes the forecast long (voprognoses: INSTELLINGSCODE;ONDERWIJSNIVEAU;JAAR;
    PROGNOSEAANTALLEN): read like the wide file and scored with the same harness."""
    breed = tmp_path / "breed.csv"
    _duo_bestand(demo_ds, breed)
    b = duoprognose.lees(breed)
    raw = tmp_path / "raw"
    shutil.copytree(DEMO, raw)
    regels = ['"INSTELLINGSCODE";"ONDERWIJSNIVEAU";"JAAR";"PROGNOSEAANTALLEN"'] + [
        f'"{r.instellingscode}";"{ {"VMBO": "vmbo", "BRJ": "Brugjaar 1-2"}.get(r.onderwijstype, r.onderwijstype)}";'
        f'"{r.jaar}";"{str(r.aantal).replace(".", ",")}"' for r in b.itertuples()]
    lang = raw / "brin4_prognosesvo.csv"
    lang.write_text("\n".join(regels) + "\n", encoding="utf-8")
    assert herken(lang).layout == "duo-voprognoses"
    gelezen = duoprognose.lees_lang(lang)
    pd.testing.assert_frame_equal(gelezen.drop(columns="bron"), b.drop(columns="bron"), check_dtype=False)
    f = Context(store.laad(raw), actieve_indeling(demo_ds)).score_duo()
    duo = f[(f["model"] == "duo") & (f["niveau"] == "instelling")]
    assert duo["mape"].to_numpy() == pytest.approx(0.1, abs=1e-3)
    lang.write_text('INSTELLINGSCODE;ONDERWIJSNIVEAU;JAAR;PROGNOSEAANTALLEN\n00AA;VMBO;2030;12\n00AB;VMBO;2030;x\n',
                    encoding="utf-8")
    with pytest.raises(DataFout) as e:
        duoprognose.lees_lang(lang)
    assert "regel 3" in str(e.value) and "PROGNOSEAANTALLEN" in str(e.value)


def test_duo_prognose_reader_rejects_bad_numbers(tmp_path):
    f = tmp_path / "11-leerlingenprognose-vo-2020-2030.csv"
    f.write_text("BRIN NUMMER;INSTELLINGSNAAM;VMBO.2020;VMBO.2021\n00AA;A;10;12\n00AB;B;x;3\n", encoding="latin-1")
    with pytest.raises(DataFout) as e:
        duoprognose.lees(f)
    assert "regel 3" in str(e.value) and "VMBO.2020" in str(e.value)
    assert bevolking.band("okt-19") == (10, 19) and bevolking.band("95+") == (95, 120)


def test_cold_cache_computed_once_by_concurrent_callers(demo_ds, tmp_path, monkeypatch):
    """Ten kernels opening the dashboard on a cold cache: one computes, the others read it."""
    import threading

    monkeypatch.setenv("REGIOPORTRET_CACHE", str(tmp_path))
    ind = actieve_indeling(demo_ds)
    echt, teller = pp.bereken, []

    def tellend(*a, **k):
        teller.append(1)
        return echt(*a, **k)

    monkeypatch.setattr(pp, "bereken", tellend)
    uit = []
    draden = [threading.Thread(target=lambda: uit.append(Context(demo_ds, ind).prognose)) for _ in range(4)]
    for d in draden:
        d.start()
    for d in draden:
        d.join()
    assert len(teller) == 1 and len(uit) == 4
    assert all(b.oorsprong == uit[0].oorsprong and b.voorspellingen is None for b in uit)


# -- exam candidates from the cohorts of one teldatum (issue: forecasts that beat the baseline) ----
def _examenpaneel(waarden: dict[str, list[float]], jaren=range(2014, 2019)) -> dict:
    k = pd.DataFrame(waarden, index=pd.RangeIndex(jaren.start, jaren.stop, name="jaar"), dtype="float64")
    return {"kandidaten": k, "sector:techniek": k * 0.25}


def _cohort(lj1, lj2, lj3, lj4, lj3_alle, codes=("A", "B", "C")) -> pd.DataFrame:
    return pd.DataFrame({"lj1": lj1, "lj2": lj2, "lj3": lj3, "lj4": lj4, "lj3_alle": lj3_alle}, index=list(codes),
                        dtype="float64")


REGIO_VAN = pd.Series({"A": 1, "B": 1, "C": 2})


def test_examen_cohort_bekende_waarden():
    """Next year: leerjaar 4; then leerjaar 3; then brugjaar 2 and 1 times the (shrunk) vmbo share."""
    p = _examenpaneel({"A": [90, 95, 100, 100, 100], "B": [50] * 5, "C": [30] * 5})
    c = _cohort([400, 100, 60], [380, 100, 50], [110, 55, 35], [105, 52, 33], [300, 80, 40])
    uit = pg.examen_cohort_model({2019: c}, REGIO_VAN)(p, 5)
    k = uit["kandidaten"]
    assert list(k.index) == [2019, 2020, 2021, 2022, 2023]
    assert k.loc[2019].tolist() == [105, 52, 33] and k.loc[2020].tolist() == [110, 55, 35]
    aandeel = pg.gekrompen(c["lj3"], c["lj3_alle"], REGIO_VAN)
    assert k.loc[2021].to_numpy() == pytest.approx((c["lj2"] * aandeel).to_numpy())
    assert k.loc[2022].to_numpy() == pytest.approx((c["lj1"] * aandeel).to_numpy())
    assert k.loc[2023].tolist() == k.loc[2022].tolist()  # beyond four years the level holds
    assert uit["sector:techniek"].loc[2019].to_numpy() == pytest.approx(0.25 * k.loc[2019].to_numpy())
    # a small vestiging's share is pulled towards its region's: C (40 students) more than A (300)
    eigen = c["lj3"] / c["lj3_alle"]
    assert abs(aandeel["A"] - eigen["A"]) < abs(aandeel["C"] - eigen["C"])


def _techcohort() -> pd.DataFrame:
    """A and B (region 1) keep 80% and 90% of leerjaar 3's technical share in leerjaar 4; C
    (region 2, small) keeps all of it."""
    c = _cohort([400, 100, 60], [380, 100, 50], [1000, 500, 35], [900, 400, 33], [1800, 900, 40])
    c["techniek_lj3"] = [200.0, 100.0, 7.0]  # share 20%, 20%, 20%
    c["techniek_lj4"] = [0.8 * 0.2 * 900, 0.9 * 0.2 * 400, 0.2 * 33]
    return c


def test_techniek_behoud_van_leerjaar_3_naar_4():
    """The rate at which the technical share moves from leerjaar 3 to 4 within one file, by
    hand: per vestiging (leerjaar 4's technical pupils) / (leerjaar 4 at leerjaar 3's share),
    pulled by KRIMP pseudo-pupils to its region's rate, the region's to the country's."""
    c = _techcohort()
    b = pg.techniek_behoud(c, REGIO_VAN)
    teller = c["techniek_lj4"]
    noemer = c["lj4"] * c["techniek_lj3"] / c["lj3"]
    land = teller.sum() / noemer.sum()
    k = pg.KRIMP
    r1 = (teller[["A", "B"]].sum() + k * land) / (noemer[["A", "B"]].sum() + k)
    r2 = (teller["C"] + k * land) / (noemer["C"] + k)
    ouder = pd.Series({"A": r1, "B": r1, "C": r2})
    assert b.to_numpy() == pytest.approx(((teller + k * ouder) / (noemer + k)).to_numpy())
    assert b["A"] < b["B"] < 1 and b["C"] < 1  # C keeps all, but is small: mostly its region's
    # a share moves, a count does not matter: twice the pupils everywhere, the same rate
    assert pg.techniek_behoud(c * 2, None).to_numpy() == pytest.approx(
        pg.techniek_behoud(c, None).to_numpy(), rel=0.05)


def test_examen_cohort_technische_kandidaten():
    """Technical candidates: leerjaar 4's technical pupils next year; leerjaar 3's the year after,
    times techniek_behoud; then the vmbo-bound brugjaren times leerjaar 3's technical share and
    techniek_behoud. All candidates are not touched by it."""
    p = _examenpaneel({"A": [90, 95, 100, 100, 100], "B": [50] * 5, "C": [30] * 5})
    p["techniek"] = p["kandidaten"] * 0.2
    c = _techcohort()
    uit = pg.examen_cohort_model({2019: c}, REGIO_VAN)(p, 4)
    t, k = uit["techniek"], uit["kandidaten"]
    b = pg.techniek_behoud(c, REGIO_VAN)
    s = pg.gekrompen(c["techniek_lj3"], c["lj3"], REGIO_VAN)
    brug = pg.vmbo_brugjaren(c, REGIO_VAN)
    assert t.loc[2019].to_numpy() == pytest.approx(c["techniek_lj4"].to_numpy())
    assert t.loc[2020].to_numpy() == pytest.approx((c["techniek_lj3"] * b).to_numpy())
    assert t.loc[2021].to_numpy() == pytest.approx((brug["lj2"] * s * b).to_numpy())
    assert t.loc[2022].to_numpy() == pytest.approx((brug["lj1"] * s * b).to_numpy())
    assert k.loc[2020].tolist() == c["lj3"].tolist()


def test_examen_cohort_leert_de_kans_uit_eerdere_bestanden():
    """With an earlier student file whose exam years are known at the origin, the rate from a
    leerjaar to the exam is estimated (here 90% everywhere, so shrinkage changes nothing)."""
    p = _examenpaneel({"A": [0, 0, 0, 900, 880], "B": [0, 0, 0, 450, 440], "C": [0, 0, 0, 270, 264]})
    eerder = _cohort([0] * 3, [0] * 3, [977.8, 488.9, 293.3], [1000, 500, 300], [1] * 3)
    nu = _cohort([0] * 3, [0] * 3, [1200, 600, 360], [1100, 550, 330], [1] * 3)
    k = pg.examen_cohort_model({2017: eerder, 2019: nu}, REGIO_VAN)(p, 2)["kandidaten"]
    assert k.loc[2019].to_numpy() == pytest.approx(0.9 * nu["lj4"].to_numpy(), rel=1e-6)
    assert k.loc[2020].to_numpy() == pytest.approx(0.9 * nu["lj3"].to_numpy(), rel=1e-3)


def test_examen_cohort_gebruikt_niets_na_de_oorsprong():
    """Leakage: garbage in later exam years and in later student files changes no forecast made
    from the origin (the harness cuts the panel; the model must ignore later files itself)."""
    p = _examenpaneel({"A": [90, 95, 100, 100, 100] + [7e5] * 5, "B": [50] * 5 + [7e5] * 5,
                       "C": [30] * 5 + [7e5] * 5}, range(2014, 2024))
    c = _cohort([400, 100, 60], [380, 100, 50], [110, 55, 35], [105, 52, 33], [300, 80, 40])
    rommel = _cohort([9e6] * 3, [9e6] * 3, [9e6] * 3, [9e6] * 3, [1] * 3)
    afgekapt = {k: t.loc[:2018] for k, t in p.items()}
    schoon = pg.examen_cohort_model({2019: c}, REGIO_VAN)(afgekapt, 4)
    vies = pg.examen_cohort_model({2019: c, 2020: rommel, 2021: rommel, 2022: rommel}, REGIO_VAN)(afgekapt, 4)
    for k in schoon:
        pd.testing.assert_frame_equal(schoon[k], vies[k])
    # through the harness: only the origin just before a student file is scored
    v = bt.voorspellingen(p, {"model": pg.examen_cohort_model({2019: c}, REGIO_VAN)}, ["kandidaten"], REGIO_VAN,
                          alleen=[2018])
    assert set(v["oorsprong"]) == {2018} and v["jaar"].min() == 2019


def test_zonder_leerlingenbestand_de_laatste_waarde():
    p = _examenpaneel({"A": [90, 95, 100, 100, 120], "B": [50] * 5, "C": [30] * 5})
    k = pg.examen_cohort_model({}, REGIO_VAN)(p, 3)["kandidaten"]
    assert k.loc[2019].tolist() == [120, 50, 30] and k.loc[2021].tolist() == [120, 50, 30]


def test_geen_band_met_te_weinig_fouten_en_dekking_buiten_de_steekproef():
    """A level and horizon with fewer than MIN_FOUTEN errors gets no band; coverage of origin o
    is scored with a band from origins before o only."""
    rng = np.random.default_rng(3)
    rijen = []
    for o, spreiding in ((2015, 0.05), (2016, 0.05), (2017, 0.5)):
        for i in range(40):
            rijen.append(("kandidaten", o, o + 1, 1, "model", "regio", str(i), 100.0,
                          100.0 * (1 + rng.uniform(-spreiding, spreiding))))
    rijen.append(("kandidaten", 2015, 2016, 1, "model", "landelijk", "NL", 100.0, 104.0))
    v = pd.DataFrame(rijen, columns=["reeks", "oorsprong", "jaar", "h", "model", "niveau", "eenheid", "voorspeld",
                                     "werkelijk"])
    f = bt.interval_factoren(v)
    assert set(f["niveau"]) == {"regio"}  # one national error: no band there
    d = bt.dekking_buiten_steekproef(v).set_index(["niveau", "h"])
    # origin 2016 is scored with 2015's narrow band (about 80% in), origin 2017's wide errors
    # mostly fall outside the band of 2015-2016: together clearly under the in-sample 80%
    assert d.loc[("regio", 1), "n"] == 80
    assert d.loc[("regio", 1), "dekking"] < 0.6
    binnen = bt.dekking(v, f)
    assert binnen.set_index(["niveau", "h"]).loc[("regio", 1), "dekking"] == pytest.approx(0.8, abs=0.05)


@pytest.mark.realdata
def test_cohortmethode_op_de_echte_data(real_data):
    """On the real files the exam forecast is scored where its parts can run: origin 2018 from the
    2019 student file (cohort), 2021 and 2022 from the residents of 1 January 2021 (demography);
    every baseline at the same origins. What is shown from 2024 on is the demographic method.
    The technical series is scored next to all candidates, and at region level the method beats
    the best baseline (the national-growth one included) on it."""
    from regioportret.context import open_context

    b = open_context(real_data).prognose_details
    assert b.soort == "examenkandidaten" and b.backtest_oorsprongen == [2018, 2021, 2022]
    assert b.onderdelen == {2018: "cohort", 2021: "demografie", 2022: "demografie"}
    assert b.getoond == "model" and b.methode.startswith("Getoond vanaf 2024: de demografische methode")
    assert {"kandidaten", "techniek"} <= set(b.fouten["reeks"])
    assert "landelijke_groei" in set(b.fouten["model"])
    r = bt.ratio_tabel(b.fouten, "kandidaten")
    assert (r.loc["regio", [1, 2, 3]] < 1).all()
    t = bt.ratio_tabel(b.fouten, "techniek")
    assert (t.loc["regio", [1, 2, 3, 4]] < 1).all()
    f = b.fouten[(b.fouten["niveau"] == "regio") & (b.fouten["h"] == 1) & (b.fouten["reeks"] == "techniek")]
    f = f.set_index("model")
    assert f.loc["model", "n"] == f.loc["laatste_waarde", "n"] == f.loc["landelijke_groei", "n"] > 150
    # nationally the national-growth baseline would be the method's own total: not a baseline there
    assert not ((b.fouten["model"] == "landelijke_groei") & (b.fouten["niveau"] == "landelijk")).any()


def test_leerjaar_3_4_uit_een_bestand():
    """One and two years on: leerjaar 3 -> 4 and brugjaar 2 (times the vmbo share) -> 3; then
    brugjaar 2 and 1; no further (the inflow is unknown)."""
    c = _cohort([400, 100, 60], [380, 100, 50], [110, 55, 35], [105, 52, 33], [300, 80, 40])
    c["techniek_lj3"] = [30.0, 0.0, 10.0]
    c["techniek_lj4"] = [28.0, 0.0, 9.0]
    uit = pg.lj34_uit_bestand(c, REGIO_VAN)
    t = uit["totaal"]
    a = pg.gekrompen(c["lj3"], c["lj3_alle"], REGIO_VAN)
    assert list(t.index) == [1, 2]
    assert t.loc[1].to_numpy() == pytest.approx((c["lj3"] + c["lj2"] * a).to_numpy())
    assert t.loc[2].to_numpy() == pytest.approx(((c["lj2"] + c["lj1"]) * a).to_numpy())
    # the counted technical pupils go on; the brugjaren get leerjaar 3's (shrunk) technical share,
    # also where the vestiging itself has none (B: pulled to its region's); in leerjaar 4 both
    # are counted at the rate the technical share moves from leerjaar 3 to 4
    s = pg.gekrompen(c["techniek_lj3"], c["lj3"], REGIO_VAN)
    b = pg.techniek_behoud(c, REGIO_VAN)
    assert s["B"] > 0 and (b < 1).all()
    assert uit["techniek"].loc[1].to_numpy() == pytest.approx((c["techniek_lj3"] * b + c["lj2"] * a * s).to_numpy())
    assert uit["techniek"].loc[2].to_numpy() == pytest.approx(((c["lj2"] * b + c["lj1"]) * a * s).to_numpy())
    assert uit["totaal"].loc[1].to_numpy() == pytest.approx(t.loc[1].to_numpy())  # all pupils: untouched


def _regiocohort(n: int = 6) -> tuple[pd.DataFrame, pd.Series]:
    """One vestiging per region, with known vmbo and technical shares in leerjaar 3 and 4; a
    seventh region is too small to count (MIN_BASIS)."""
    rijen = {}
    for i in range(n):
        lj4, lj4_alle = 100.0, 200.0
        lj3, lj3_alle = 100.0 * (1 + 0.02 * i), 200.0  # vmbo share lj3 / lj4: 1.00, 1.02, ...
        rijen[f"V{i}"] = {"lj1": 300.0, "lj2": 300.0, "lj3": lj3, "lj4": lj4, "lj3_alle": lj3_alle,
                          "lj4_alle": lj4_alle, "techniek_lj3": lj3 * 0.2 * (1 - 0.05 * i), "techniek_lj4": 20.0}
    rijen["KLEIN"] = {"lj1": 5.0, "lj2": 5.0, "lj3": 1.0, "lj4": 10.0, "lj3_alle": 10.0, "lj4_alle": 10.0,
                      "techniek_lj3": 1.0, "techniek_lj4": 1.0}
    c = pd.DataFrame(rijen).T
    return c, pd.Series({code: nr for nr, code in enumerate(c.index, start=1)})


def test_invoerspreiding_over_de_regios():
    """The spread of a rate between leerjaar 3 and 4, across regions, around the median: checked
    against the quantiles computed by hand; a region under MIN_BASIS pupils does not count."""
    c, regio = _regiocohort()
    s = pg.invoerspreiding(c, regio)
    vmbo = np.array([1 + 0.02 * i for i in range(6)])
    techniek = np.array([1 - 0.05 * i for i in range(6)])
    for naam, r in (("vmbo", vmbo), ("techniek", techniek)):
        r = r / np.median(r) - 1
        assert s[naam] == pytest.approx((np.quantile(r, 0.1), np.quantile(r, 0.9)))
    assert s["vmbo"][0] < 0 < s["vmbo"][1]
    assert pg.invoerspreiding(c, None) == {"vmbo": (0.0, 0.0), "techniek": (0.0, 0.0)}


def test_bereik_uit_de_invoer_houdt_het_getelde_deel_vast():
    """The counted part (leerjaar 3 -> 4) does not move; the brugjaar part moves with the vmbo
    share's spread, twice as far as sqrt(2) two years ahead; the technical pupils, counted ones
    included (how many stay technical is a rate), with the technical share's spread; the point
    lies inside."""
    c, regio = _regiocohort()
    s = {"vmbo": (-0.1, 0.05), "techniek": (-0.2, 0.3)}
    b = pg.lj34_bereik(c, regio, s)
    brug = pg.vmbo_brugjaren(c, regio)
    aandeel = pg.gekrompen(c["techniek_lj3"], c["lj3"], regio)
    behoud = pg.techniek_behoud(c, regio)
    punt = pg.lj34_uit_bestand(c, regio)
    assert b["onder"]["totaal"].loc[1].to_numpy() == pytest.approx((c["lj3"] + 0.9 * brug["lj2"]).to_numpy())
    assert b["boven"]["totaal"].loc[2].to_numpy() == pytest.approx(
        ((brug["lj2"] + brug["lj1"]) * (1 + 0.05 * np.sqrt(2))).to_numpy())
    assert b["onder"]["techniek"].loc[1].to_numpy() == pytest.approx(
        (c["techniek_lj3"] * behoud * 0.8 + brug["lj2"] * 0.9 * aandeel * 0.8).to_numpy())
    for k in ("totaal", "techniek"):
        assert (b["onder"][k] < punt[k]).all().all() and (punt[k] < b["boven"][k]).all().all()


def test_bereik_van_de_examenprognose_uit_de_invoer():
    """Where no backtest gives a band, the exam forecast's range comes from the same spreads: the
    counted leerjaar 4 and 3 stay, the brugjaren move with the vmbo share (brugjaar 1 sqrt(2) as
    far), the technical pupils also with the technical share (leerjaar 3's too), and beyond four
    years the spread grows with sqrt(h / 4). Factors on the forecast, by hand."""
    c, regio = _regiocohort()
    s = {"vmbo": (-0.1, 0.05), "techniek": (-0.2, 0.3)}
    f = pg.examen_bereik(c, regio, s, 6)
    onder, boven = f["onder"], f["boven"]
    assert list(onder["kandidaten"].index) == [1, 2, 3, 4, 5, 6]
    for g in (onder, boven):
        assert (g["kandidaten"].loc[[1, 2]] == 1).all().all() and (g["techniek"].loc[1] == 1).all()
    assert onder["kandidaten"].loc[3].to_numpy() == pytest.approx(0.9)
    assert boven["kandidaten"].loc[4].to_numpy() == pytest.approx(1 + 0.05 * np.sqrt(2))
    assert onder["kandidaten"].loc[6].to_numpy() == pytest.approx(1 - 0.1 * np.sqrt(2) * np.sqrt(6 / 4))
    assert onder["techniek"].loc[2].to_numpy() == pytest.approx(0.8)
    assert boven["techniek"].loc[3].to_numpy() == pytest.approx(1.05 * 1.3)
    assert (onder["techniek"] <= onder["kandidaten"]).all().all()  # two spreads are wider than one


@pytest.mark.realdata
def test_bereik_uit_de_invoer_zonder_inwoners_op_de_echte_data(real_data):
    """Without residents by age (the exam files and the 2019 student file only) leerjaar 3-4 after
    the file has no backtest: every point then carries the range from the spread of the inputs,
    for the country and for a region, and the page says that this is what it is. The vmbo share's
    spread is checked against the raw 2019 file."""
    from regioportret.format import verandering
    from regioportret.model import selectie
    from regioportret.views import panelen

    ds = store.laad(real_data)
    ind = actieve_indeling(ds)
    b = pp.bereken("examenkandidaten", ds.examens, ind, bevolking=None, vestigingen=ds.vestigingen,
                   leerlingen=ds.leerlingen)
    assert b.lj34["methode"] == "bestand" and b.lj34_factoren is None
    regio18 = ind.tabel.loc[ind.tabel["regionummer"] == 18, "vestigingscode"].tolist()
    for vestigingen in (None, regio18):
        t = pp.prognose(b, vestigingen).lj34
        na = t[t["h"] > 0]
        assert len(na) == 4 and (na["band_niveau"] == pp.INVOER).all()
        assert ((na["onder"] < na["punt"]) & (na["punt"] < na["boven"])).all()
        if vestigingen is None:  # nobody dropped: the country's forecast is every pupil placed
            d = pg._lj34_delen(pg.cohorten(ds.leerlingen)[2019], ind.tabel.set_index("vestigingscode")["regionummer"])
            assert na.loc[na["reeks"] == "totaal", "punt"].to_numpy() == pytest.approx(
                (d["zeker"] + d["geschat"]).sum(axis=1).to_numpy())
        # two years ahead the range is wider than one year ahead
        breedte = (na["boven"] - na["onder"]) / na["punt"]
        assert (breedte[na["h"] == 2].to_numpy() > breedte[na["h"] == 1].to_numpy()).all()
    # the vmbo share per region in leerjaar 3 and 4, from the raw file
    ruw = pd.read_csv(real_data / "duo" / "leerlingen-vo-per-vestiging-naar-onderwijstype-2019.csv", sep=";",
                      dtype=str, encoding="latin-1")
    code = ruw["BRIN NUMMER"] + ruw["VESTIGINGSNUMMER"].str.zfill(2)
    soort = ruw["ONDERWIJSTYPE VO EN LEER- OF VERBLIJFSJAAR"]
    vmbo = soort.str.startswith("VMBO") & ~soort.str.contains("VAVO")
    havo_vwo = soort.str.startswith(("HAVO", "VWO"))  # outsourced to VAVO included, as in pg.cohorten

    def lj(k):
        return sum(pd.to_numeric(ruw[f"LEER- OF VERBLIJFSJAAR {k} - {g}"], errors="coerce").fillna(0)
                   for g in ("MAN", "VROUW"))
    r = code.map(ind.tabel.set_index("vestigingscode")["regionummer"])
    per = pd.DataFrame({"lj3": lj(3)[vmbo], "lj4": lj(4)[vmbo], "lj3_alle": lj(3)[vmbo | havo_vwo],
                        "lj4_alle": lj(4)[vmbo | havo_vwo]}).fillna(0).groupby(r).sum()
    per = per[(per[["lj3_alle", "lj4_alle"]] >= pg.MIN_BASIS).all(axis=1) & (per["lj4"] > 0)]
    x = (per["lj3"] / per["lj3_alle"]) / (per["lj4"] / per["lj4_alle"])
    x = x / x.median() - 1
    assert b.lj34["spreiding"]["vmbo"] == pytest.approx((x.quantile(0.1), x.quantile(0.9)), abs=1e-9)
    bundel = selectie._prognose(b, regio18)
    assert all(r.band_niveau == pp.INVOER and all(x.onder is not None for x in r.prognose)
               for r in bundel.leerlingen.values())
    assert any("geen band uit een backtest maar komt uit de spreiding van de invoer" in z
               for z in panelen.band_zinnen(bundel))
    assert "vmbo-aandeel " + verandering(x.quantile(0.1)) in bundel.leerlingen_methode


@pytest.mark.realdata
def test_leerjaar_3_4_uit_het_bestand_op_de_echte_data(real_data):
    """Leerjaar 3-4 after the 2019 file, every year up to five years after the data (2020-2028):
    the 2019 count equals the region's key figure (the 2019 file has no suppressed cells), every
    point has a band from the demographic backtest, and the page says it is not scored on pupils."""
    from regioportret.context import open_context
    from regioportret.views import panelen

    s = open_context(real_data).selectie([18])
    p = s.prognose
    assert set(p.leerlingen) == {"totaal", "techniek"}
    assert p.leerlingen["totaal"].historie == {2019: s.kern.leerlingen_totaal} and s.kern.onderdrukt == 0
    assert p.leerlingen["techniek"].historie == {2019: s.kern.techniek}
    for naam in p.leerlingen:
        punten = p.leerlingen_tot(naam)
        assert [x.jaar for x in punten] == list(range(2020, 2029))
        assert all(x.onder is not None and x.onder <= x.punt <= x.boven for x in punten)
    html = panelen.prognose(s)
    assert "Over de jaren niet getoetst op leerlingen" in html and "Kruiscontrole over 80 regio" in html


def test_beste_basislijn_genoemd_in_de_fouttabel():
    """The error table names the best baseline per level and horizon (the views print it, they
    do not pick it): the one with the lowest MAPE, and the ratio is against that one."""
    v = pd.DataFrame({"reeks": "x", "oorsprong": 2018, "jaar": 2019, "h": 1, "niveau": "regio", "eenheid": "1",
                      "model": ["model", "laatste_waarde", "gemiddelde_3j"], "voorspeld": [95.0, 80.0, 90.0],
                      "werkelijk": 100.0})
    f = bt.fouten(v).set_index("model")
    assert f.at["model", "beste_basislijn"] == "gemiddelde_3j"
    assert f.at["model", "ratio_best_baseline"] == pytest.approx(0.05 / 0.10)
    assert f["beste_basislijn"].drop("model").isna().all()


@pytest.mark.realdata
def test_examenprognose_zonder_backtest_krijgt_het_bereik_uit_de_invoer(real_data):
    """The exam files up to 2018-2019 and the 2019 student file, no residents: the cohort method is
    shown and no origin can be scored, so no band. Every point of both shown series then carries
    the range from the spread of the inputs, for the country and for a region; leerjaar 4 next year
    is counted (no width); the page says what the range is. With the residents a backtest scores
    the method and there is no such range."""
    from regioportret.model import selectie
    from regioportret.views import panelen

    ds = store.laad(real_data)
    ind = actieve_indeling(ds)
    b = pp.bereken("examenkandidaten", ds.examens[ds.examens["jaar"] <= 2018], ind, bevolking=None,
                   vestigingen=ds.vestigingen, leerlingen=ds.leerlingen)
    assert b.backtest_oorsprongen == [] and b.bereik is not None
    assert "spreiding van de invoer" in b.methode
    regio18 = ind.tabel.loc[ind.tabel["regionummer"] == 18, "vestigingscode"].tolist()
    for vestigingen in (None, regio18):
        t = pp.prognose(b, vestigingen).tabel
        t = t[t["reeks"].isin(["kandidaten", "techniek"])]
        assert (t["band_niveau"] == pp.INVOER).all()
        assert ((t["onder"] <= t["punt"]) & (t["punt"] <= t["boven"])).all()
        eerste = t[t["h"] == 1]
        assert (eerste["onder"] == eerste["punt"]).all() and (eerste["boven"] == eerste["punt"]).all()
        assert (t.loc[t["h"] == 4, "boven"] > t.loc[t["h"] == 4, "punt"]).all()
    bundel = selectie._prognose(b, regio18)
    assert bundel.reeksen["kandidaten"].band_niveau == bundel.reeksen["techniek"].band_niveau == pp.INVOER
    assert any(z.startswith("Het bereik om examenkandidaten vmbo") and "spreiding van de invoer" in z
               for z in panelen.band_zinnen(bundel))
    met_inwoners = pp.bereken("examenkandidaten", ds.examens, ind, bevolking=ds.bevolking,
                              vestigingen=ds.vestigingen, leerlingen=ds.leerlingen)
    assert met_inwoners.bereik is None


def test_laatste_waarde_zonder_band_krijgt_het_bereik_uit_de_invoer():
    """The small raw fixture: neither method can run after the last exam year, so the last value is
    shown, and its backtest has too few errors for a band. Each point then carries the range from
    how far each region's series moved from one year to the next (the level the last value holds),
    computed here by hand from the exam panel; the bundle and the page say it is such a range."""
    from regioportret.context import open_context
    from regioportret.model import selectie
    from regioportret.views import panelen

    ctx = open_context(FIXTURES / "raw")
    b = ctx.prognose
    assert b.getoond == "laatste_waarde" and b.factoren.empty and b.bereik["soort"] == "laatste_waarde"
    k = pg.examen_panelen(ctx.ds.examens)["kandidaten"]
    per_regio = k.T.groupby(ctx.indeling.tabel.set_index("vestigingscode")["regionummer"].reindex(k.columns)).sum().T
    stappen = [per_regio.loc[j, r] / per_regio.loc[j - 1, r] - 1 for j in k.index[-pg.TREND_JAREN:]
               for r in per_regio.columns if per_regio.loc[j - 1, r] >= pg.MIN_BASIS]
    lo, hi = np.quantile(stappen, 0.1), np.quantile(stappen, 0.9)
    assert b.bereik["spreiding"]["kandidaten"] == pytest.approx((lo, hi))
    t = pp.prognose(b).reeks("kandidaten")
    assert (t["band_niveau"] == pp.INVOER).all()
    assert t["onder"].to_numpy() == pytest.approx(t["punt"].to_numpy() * (1 + lo * np.sqrt(t["h"].to_numpy())))
    assert t["boven"].to_numpy() == pytest.approx(t["punt"].to_numpy() * (1 + hi * np.sqrt(t["h"].to_numpy())))
    assert "spreiding van wat zij vasthoudt" in b.methode
    assert any("spreiding van de invoer" in z for z in panelen.band_zinnen(selectie._prognose(b, None)))


def test_doorstroom_spreiding_met_de_hand():
    """The spread of the cohort model's progression ratios: per region, leerjaar 2 -> 3 and 3 -> 4
    in each transition, the ratio over its mean of those years - 1; a base under MIN_BASIS does
    not count."""
    jaren = pd.RangeIndex(2018, 2022, name="jaar")
    lj2 = pd.DataFrame({"A": [100.0, 100, 100, 100], "B": [50.0, 60, 70, 80], "K": [5.0] * 4}, index=jaren)
    lj3 = pd.DataFrame({"A": [90.0, 90, 99, 81], "B": [45.0, 50, 54, 63], "K": [5.0] * 4}, index=jaren)
    lj4 = pd.DataFrame({"A": [88.0, 88, 88, 88], "B": [40.0, 44, 48, 50], "K": [5.0] * 4}, index=jaren)
    p = {"lj1": lj2, "lj2": lj2, "lj3": lj3, "lj4": lj4}
    regio = pd.Series({"A": 1, "B": 2, "K": 3})
    waarden = []
    for nu, vorig in ((lj3, lj2), (lj4, lj3)):
        for c in ("A", "B"):
            r = np.array([nu.at[j, c] / vorig.at[j - 1, c] for j in (2019, 2020, 2021)])
            waarden += list(r / r.mean() - 1)
    assert pg.doorstroom_spreiding(p, regio) == pytest.approx((np.quantile(waarden, 0.1), np.quantile(waarden, 0.9)))
    assert pg.doorstroom_spreiding({k: t[["K"]] for k, t in p.items()}, regio) is None
    # a region with one counted year has no movement to show: it adds nothing (not a 0)
    p["lj2"] = lj2.assign(K=[5.0, 5, 100, 5])
    p["lj3"] = lj3.assign(K=[5.0, 5, 5, 90])
    assert pg.doorstroom_spreiding(p, regio) == pytest.approx((np.quantile(waarden, 0.1), np.quantile(waarden, 0.9)))


def test_cohortmodel_met_te_weinig_fouten_krijgt_het_bereik_uit_de_invoer(demo_ds):
    """Two vestigingen of the demo: the student series' backtest has under MIN_FOUTEN errors at
    every level, so no band; every series' points carry the range from the progression ratios'
    spread, sqrt(h) as wide h years ahead, and the page's method says so."""
    codes = sorted(demo_ds.leerlingen["vestigingscode"].unique())[:2]
    ind = actieve_indeling(demo_ds)
    b = pp.bereken("leerlingen", demo_ds.leerlingen[demo_ds.leerlingen["vestigingscode"].isin(codes)], ind)
    assert b.factoren.empty and b.bereik["soort"] == "doorstroom"
    lo, hi = b.bereik["spreiding"]["totaal"]
    assert lo < 0 < hi and "spreiding van de invoer" in b.methode
    for reeks in ("totaal", "techniek"):
        t = pp.prognose(b, codes).reeks(reeks)
        assert (t["band_niveau"] == pp.INVOER).all()
        assert t["boven"].to_numpy() == pytest.approx(t["punt"].to_numpy() * (1 + hi * np.sqrt(t["h"].to_numpy())))


def test_een_bereik_heet_geen_band(demo_ds):
    """A range from the inputs is called 'bereik' wherever the page names the shaded area (the
    chart's legend, the builder's sentence); a backtest band stays 'band'."""
    from regioportret.model import selectie
    from regioportret.views import grafiek

    codes = sorted(demo_ds.leerlingen["vestigingscode"].unique())[:2]
    ind = actieve_indeling(demo_ds)
    klein = pp.bereken("leerlingen", demo_ds.leerlingen[demo_ds.leerlingen["vestigingscode"].isin(codes)], ind)
    groot = Context(demo_ds, ind).prognose
    for b, woord in ((klein, "bereik"), (groot, "band")):
        r = selectie._prognose(b, codes).reeksen["totaal"]
        assert r.band_woord == woord
        svg = grafiek.reeks_svg(r.historie, r.tot(5), r.label, band_woord=r.band_woord)
        assert f"▇ {woord}</tspan>" in svg
