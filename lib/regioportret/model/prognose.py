"""Forecasts of vmbo student numbers (leerjaar 3-4) and of exam candidates per vestiging.

Everything works on *panels*: wide tables with one row per teldatum year and one column per
vestiging. A model takes the panels up to an origin year and returns panels for the years
after it; the backtest (model/backtest.py) runs the same functions from every past origin.

Two methods, chosen by the data at hand:
- leerlingen (several years of DUO student counts per leerjaar): cohort progression
  lj1 -> lj2 -> lj3 -> lj4 per vestiging, ratios averaged over recent years, inflow in lj1
  from its recent mean (optionally scaled by the population trend), then the leerweg,
  technical and profiel shares of the recent years;
- examenkandidaten (only the exam series): a damped trend per vestiging x sector.
All parameters are below, with the reason for each in docs/assumptions.md.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np
import pandas as pd

from .. import rules
from .onderdrukking import waarde

# -- parameters (docs/assumptions.md, "Prognose") ---------------------------------------------
VENSTER = 3  # years of transitions a progression ratio or share is averaged over
MIN_BASIS = 20  # a ratio needs at least this many students in its denominator, else: flat
DEMPING = 0.6  # damped trend: each further year keeps this share of the previous year's slope
TREND_JAREN = 5  # years the damped trend's slope is fitted on
INTERVAL = (0.1, 0.9)  # the prediction band: 10% and 90% quantiles of the backtest errors
MAX_HORIZON = 10
KRIMP = 200  # pseudo-students: a vestiging's rate is pulled towards its region's, a region's to the country's
MENGING = 0.5  # weight of the region's share of the national forecast where the input is an estimate
TECHNIEK_SECTOR = "techniek"
# Years ahead -> the leerjaar of a teldatum whose students sit the vmbo exam then (4-year vmbo).
LEERJAAR_NAAR_EXAMEN = {1: "lj4", 2: "lj3", 3: "lj2", 4: "lj1"}
# The first of those years whose pupils are an estimate (brugjaren times a vmbo and technical
# share), not a count of the vmbo pupils themselves.
GESCHAT_VANAF = min(h for h, lj in LEERJAAR_NAAR_EXAMEN.items() if lj in ("lj1", "lj2"))

Panelen = dict[str, pd.DataFrame]
Model = Callable[[Panelen, int], Panelen]


# -- panels -----------------------------------------------------------------------------------
def _waarde(d: pd.DataFrame, kolom: str, onderdrukt: str) -> pd.Series:
    """Cell values by the one rule for '<5' (model.onderdrukking)."""
    return pd.Series(waarde(d[kolom], d[onderdrukt]).to_numpy(), index=d.index)


def _paneel(d: pd.DataFrame, jaren: pd.Index, eenheden: pd.Index) -> pd.DataFrame:
    if d.empty:
        return pd.DataFrame(0.0, index=jaren, columns=eenheden)
    t = d.groupby(["jaar", "vestigingscode"])["n"].sum().unstack("vestigingscode")
    return t.reindex(index=jaren, columns=eenheden).fillna(0.0)


def _jaren(jaar: pd.Series) -> pd.Index:
    """Every year from the first to the last; a year missing in the data stays NaN."""
    return pd.RangeIndex(int(jaar.min()), int(jaar.max()) + 1, name="jaar")


def leerlingen_panelen(leerlingen: pd.DataFrame, technisch: tuple[str, ...] = rules.TECHNISCHE_PROFIELEN) -> Panelen:
    """Panels from the student table: lj1, lj2 (all students of the vestiging), lj3, lj4 (vmbo
    only), and for vmbo lj3-4: totaal, per leerweg, techniek and per technical profiel."""
    d = leerlingen.assign(n=_waarde(leerlingen, "aantal", "onderdrukt"))
    jaren = _jaren(d["jaar"])
    eenheden = pd.Index(sorted(d["vestigingscode"].unique()), name="vestigingscode")
    vmbo = d["leerweg"].notna()
    p = {f"lj{k}": _paneel(d[d["leerjaar"] == k], jaren, eenheden) for k in (1, 2)}
    for k in (3, 4):
        p[f"lj{k}"] = _paneel(d[vmbo & (d["leerjaar"] == k)], jaren, eenheden)
    p["totaal"] = p["lj3"] + p["lj4"]
    b = d[vmbo & d["leerjaar"].isin([3, 4])]
    for lw in rules.LEERWEGEN:
        p[lw] = _paneel(b[b["leerweg"] == lw], jaren, eenheden)
    p["techniek"] = _paneel(b[b["profiel"].isin(technisch)], jaren, eenheden)
    for pr in technisch:
        p[pr] = _paneel(b[b["profiel"] == pr], jaren, eenheden)
    return _zonder_ontbrekende_jaren(p, d["jaar"])


def examen_panelen(examens: pd.DataFrame) -> Panelen:
    """Panels of vmbo exam candidates per vestiging: 'kandidaten', 'techniek' (the technical
    series: sector techniek in the beroepsgerichte leerwegen, TL left out) and one per sector.

    'techniek' is consistent over time: until 2017-2018 DUO gave TL candidates no sector, from
    2018-2019 on it does (8,651 TL candidates in techniek that year), so sector techniek with TL
    jumps at that break; without TL it does not. In 2018-2019 it matches the five technical
    profielen of the results file (11,229 against 11,186 known plus suppressed cells)."""
    e = examens[examens["onderwijstype"].str.upper().str.startswith("VMBO")]
    d = e.assign(n=_waarde(e, "kandidaten", "kandidaten_onderdrukt"))
    jaren = _jaren(d["jaar"])
    eenheden = pd.Index(sorted(d["vestigingscode"].unique()), name="vestigingscode")
    p = {"kandidaten": _paneel(d, jaren, eenheden),
         "techniek": _paneel(d[(d["sector"] == TECHNIEK_SECTOR) & (d["leerweg"] != "TL")], jaren, eenheden)}
    d["sector"] = d["sector"].fillna("onbekend")
    for s in sorted(d["sector"].unique()):
        p[f"sector:{s}"] = _paneel(d[d["sector"] == s], jaren, eenheden)
    return _zonder_ontbrekende_jaren(p, d["jaar"])


def _zonder_ontbrekende_jaren(p: Panelen, jaar: pd.Series) -> Panelen:
    """A year absent from the data is unknown, not zero."""
    ontbreekt = ~p[next(iter(p))].index.isin(jaar.unique())
    for t in p.values():
        t.loc[ontbreekt] = np.nan
    return p


def sectoren(p: Panelen) -> list[str]:
    return [k.split(":", 1)[1] for k in p if k.startswith("sector:")]


# -- helpers on panels ------------------------------------------------------------------------
def _bekend(t: pd.DataFrame) -> pd.DataFrame:
    return t[t.notna().any(axis=1)]


def _toekomst(t: pd.DataFrame, horizon: int) -> pd.Index:
    laatste = int(t.index.max())
    return pd.RangeIndex(laatste + 1, laatste + horizon + 1, name="jaar")


def _gemiddelde(t: pd.DataFrame, jaren: int) -> pd.Series:
    return _bekend(t).tail(jaren).mean()


def _aandeel(teller: pd.DataFrame, noemer: pd.DataFrame, jaren: int = VENSTER) -> pd.Series:
    """Share as a ratio of sums over the last known years (0 where the denominator is 0)."""
    n, d = _bekend(teller).tail(jaren).sum(), _bekend(noemer).tail(jaren).sum()
    return (n / d.replace(0, np.nan)).fillna(0.0)


def _doorstroom(volgend: pd.DataFrame, vorig: pd.DataFrame) -> pd.Series:
    """Progression ratio sum(next leerjaar in t+1) / sum(this leerjaar in t) over the last
    VENSTER transitions of consecutive known years; NaN when the base is under MIN_BASIS."""
    jaren = [j for j in volgend.index[1:] if volgend.loc[j].notna().any() and vorig.loc[j - 1].notna().any()]
    jaren = jaren[-VENSTER:]
    if not jaren:
        return pd.Series(np.nan, index=volgend.columns)
    n = volgend.loc[jaren].sum()
    d = vorig.loc[[j - 1 for j in jaren]].sum()
    return (n / d).where(d >= MIN_BASIS)


# -- baselines --------------------------------------------------------------------------------
def _per_paneel(f: Callable[[pd.DataFrame, int], pd.DataFrame]) -> Model:
    def model(p: Panelen, horizon: int) -> Panelen:
        return {k: f(t, horizon) for k, t in p.items()}
    return model


def _constant(t: pd.DataFrame, horizon: int, waarde: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(np.tile(waarde.to_numpy(), (horizon, 1)), index=_toekomst(t, horizon), columns=t.columns)


def _laatste_waarde(t: pd.DataFrame, horizon: int) -> pd.DataFrame:
    return _constant(t, horizon, _bekend(t).iloc[-1])


def _gemiddelde_3j(t: pd.DataFrame, horizon: int) -> pd.DataFrame:
    return _constant(t, horizon, _gemiddelde(t, 3))


def _trend_coef(t: pd.DataFrame, jaren: int) -> tuple[pd.Series, pd.Series, float]:
    """Least-squares line through the last `jaren` known years, per column: (level at the
    last year, slope per year, last year)."""
    b = _bekend(t).tail(jaren)
    x = b.index.to_numpy(dtype="float64")
    laatste = float(x[-1])
    if len(b) < 2:
        return b.iloc[-1], pd.Series(0.0, index=t.columns), laatste
    xc = x - x.mean()
    helling = (xc[:, None] * (b.to_numpy() - b.to_numpy().mean(axis=0))).sum(axis=0) / (xc ** 2).sum()
    niveau = b.to_numpy().mean(axis=0) + helling * (laatste - x.mean())
    return pd.Series(niveau, index=t.columns), pd.Series(helling, index=t.columns), laatste


def _lineaire_trend_5j(t: pd.DataFrame, horizon: int) -> pd.DataFrame:
    niveau, helling, _ = _trend_coef(t, 5)
    stappen = np.arange(1, horizon + 1, dtype="float64")[:, None]
    w = niveau.to_numpy() + stappen * helling.to_numpy()
    return pd.DataFrame(np.clip(w, 0, None), index=_toekomst(t, horizon), columns=t.columns)


BASISLIJNEN: dict[str, Model] = {
    "laatste_waarde": _per_paneel(_laatste_waarde),
    "lineaire_trend_5j": _per_paneel(_lineaire_trend_5j),
    "gemiddelde_3j": _per_paneel(_gemiddelde_3j),
}
BASISLIJN_NAMEN = {
    "laatste_waarde": "laatste waarde",
    "landelijke_groei": "laatste waarde maal de landelijke groei",
    "lineaire_trend_5j": "lineaire trend (laatste 5 jaar)",
    "gemiddelde_3j": "gemiddelde (laatste 3 jaar)",
}


# -- the exam-series model --------------------------------------------------------------------
def gedempte_trend(t: pd.DataFrame, horizon: int, demping: float = DEMPING) -> pd.DataFrame:
    """Level from a line through the last TREND_JAREN years, slope damped by `demping` per
    year ahead. Tried on the exam series and kept for comparison (benchmarks/prognose.py):
    it did not beat the last value there."""
    niveau, helling, _ = _trend_coef(t, TREND_JAREN)
    som = np.cumsum(demping ** np.arange(1, horizon + 1, dtype="float64"))[:, None]
    w = niveau.to_numpy() + som * helling.to_numpy()
    return pd.DataFrame(np.clip(w, 0, None), index=_toekomst(t, horizon), columns=t.columns)


def examen_model(p: Panelen, horizon: int) -> Panelen:
    """Exam candidates per vestiging: the last known value, split over the sectors by their
    share in the last VENSTER years.

    On the real 2014-2023 series no method tried (damped trends, smoothing, shares of the
    national total) clearly beat the last value (docs/assumptions.md has the table), so the
    level is the last value; what the method adds is the sector split and an honest band.
    """
    totaal = _laatste_waarde(p["kandidaten"], horizon)
    return {"kandidaten": totaal, **_verdeeld(p, totaal)}


def _verdeeld(p: Panelen, totaal: pd.DataFrame) -> Panelen:
    """The technical series and the sectors as their share of all candidates in the last
    VENSTER years (no window crosses the 2018 break: the technical series has no TL)."""
    return {k: totaal * _aandeel(t, p["kandidaten"]) for k, t in p.items() if k != "kandidaten"}


# -- exam candidates from the cohorts of one teldatum ----------------------------------------------
def cohorten(leerlingen: pd.DataFrame) -> dict[int, pd.DataFrame]:
    """Per teldatum year, per vestiging: brugjaar lj1 and lj2 (all students: vmbo, havo and vwo
    are not yet apart), vmbo lj3 and lj4, lj3 and lj4 of vmbo + havo/vwo (for the vmbo share), and
    vmbo lj3 and lj4 in the five technical profielen."""
    d = leerlingen.assign(n=_waarde(leerlingen, "aantal", "onderdrukt"))
    soort = d["onderwijstype"].str.upper()
    vmbo = d["leerweg"].notna()
    brug = soort.str.startswith("BRUGJAAR")
    havo_vwo = soort.str.startswith(("HAVO", "VWO"))
    techniek = vmbo & d["profiel"].isin(rules.TECHNISCHE_PROFIELEN)
    uit = {}
    for jaar, x in d.groupby("jaar"):
        def som(masker, x=x):
            return x[masker.reindex(x.index)].groupby("vestigingscode")["n"].sum()
        lj = x["leerjaar"]
        uit[int(jaar)] = pd.DataFrame({
            "lj1": som(brug & (lj == 1)), "lj2": som(brug & (lj == 2)),
            "lj3": som(vmbo & (lj == 3)), "lj4": som(vmbo & (lj == 4)),
            "lj3_alle": som((vmbo | havo_vwo) & (lj == 3)), "lj4_alle": som((vmbo | havo_vwo) & (lj == 4)),
            "techniek_lj3": som(techniek & (lj == 3)), "techniek_lj4": som(techniek & (lj == 4)),
        }).fillna(0.0)
    return uit


def vmbo_brugjaren(c: pd.DataFrame, regio_van: pd.Series | None = None) -> pd.DataFrame:
    """The brugjaar pupils (lj1, lj2; vmbo, havo and vwo not yet apart) who will go on in vmbo,
    per vestiging where they will sit leerjaar 3.

    A vestiging with a leerjaar 3 keeps its own pupils, times its vmbo share of leerjaar 3
    (shrunk towards its region's, `gekrompen`). A location without any leerjaar 3 (brugjaar only)
    sends its pupils, times its instelling's vmbo share (else its region's, else the country's),
    to the instelling's vestigingen with vmbo leerjaar 3 in proportion to it; where the instelling
    has none, to those of its region, else of the country. Nobody is dropped.
    """
    aandeel = gekrompen(c["lj3"], c["lj3_alle"], regio_van)
    uit = c[["lj1", "lj2"]].mul(aandeel, axis=0)
    weg = c.index[(c["lj3_alle"] <= 0) & ((c["lj1"] + c["lj2"]) > 0)]
    ontvangers = c.loc[c["lj3"] > 0, "lj3"]
    if not len(weg) or ontvangers.empty:
        return uit
    regio = regio_van.reindex(c.index) if regio_van is not None else pd.Series(np.nan, index=c.index)
    land = float(c["lj3"].sum() / c["lj3_alle"].sum())
    instelling = c.index.str[:4]
    for code in weg:
        eigen = c[(instelling == code[:4]) & (c["lj3_alle"] > 0)]
        buren = c[(regio == regio[code]).to_numpy() & (c["lj3_alle"] > 0).to_numpy()] if pd.notna(regio[code]) \
            else c.iloc[:0]
        bron = eigen if len(eigen) else buren
        a = float(bron["lj3"].sum() / bron["lj3_alle"].sum()) if len(bron) else land
        doel = ontvangers[ontvangers.index.str[:4] == code[:4]]
        if doel.empty and pd.notna(regio[code]):
            doel = ontvangers[(regio.reindex(ontvangers.index) == regio[code]).to_numpy()]
        if doel.empty:
            doel = ontvangers
        for lj in ("lj1", "lj2"):
            uit.loc[doel.index, lj] += (doel / doel.sum()).to_numpy() * a * c.at[code, lj]
            uit.at[code, lj] = 0.0
    return uit


def gekrompen(teller: pd.Series, noemer: pd.Series, regio_van: pd.Series | None, standaard: float = 1.0,
              k: float = KRIMP) -> pd.Series:
    """A rate per vestiging (teller / noemer), pulled towards its region's rate and the region's
    towards the country's by `k` pseudo-students: a small vestiging gets mostly its region's
    rate, a large one mostly its own. `standaard` where there is no data at all."""
    teller, noemer = teller.fillna(0.0), noemer.fillna(0.0)
    land = float(teller.sum() / noemer.sum()) if noemer.sum() > 0 else standaard
    ouder = pd.Series(land, index=noemer.index)
    if regio_van is not None:
        r = regio_van.reindex(noemer.index)
        regio = (teller.groupby(r).sum() + k * land) / (noemer.groupby(r).sum() + k)
        ouder = r.map(regio).astype("float64").fillna(land)
    return (teller + k * ouder) / (noemer + k)


def examen_cohort_model(cohort: dict[int, pd.DataFrame], regio_van: pd.Series | None = None) -> Model:
    """Exam candidates per vestiging from the student file of the teldatum just after the
    origin: leerjaar 4 sits the exam next school year, leerjaar 3 the year after, brugjaar 2 and
    1 (times the vmbo share of leerjaar 3) after that; beyond four years the last level holds.
    Technical candidates likewise from the pupils in the five technical profielen (leerjaar 4,
    then 3), then the brugjaren times the vestiging's technical share of leerjaar 3; every
    technical pupil not yet in leerjaar 4 is counted at the rate the technical share moves from
    leerjaar 3 to 4 (techniek_behoud), since pupils leave a technical profiel on the way.

    The rate from a leerjaar to the exam is estimated only from earlier student files whose
    exam year is known at the origin, shrunk from vestiging to region to country (gekrompen);
    with no earlier file it is 1 (every student reaches the exam), said so in
    docs/assumptions.md. Without a student file just after the origin: the last value.
    """
    @cache
    def op_weg(jaar: int) -> pd.DataFrame:
        """The pupils of one file on their way to the vmbo exam: vmbo lj3, lj4, vmbo-bound brugjaren."""
        return pd.concat([cohort[jaar][["lj3", "lj4"]], vmbo_brugjaren(cohort[jaar], regio_van)], axis=1)

    def model(p: Panelen, horizon: int) -> Panelen:
        k = p["kandidaten"]
        o = int(_bekend(k).index[-1])
        t = o + 1
        if t not in cohort:
            return examen_model(p, horizon)
        nu = op_weg(t).reindex(k.columns).fillna(0.0)
        basis = {h: nu[lj] for h, lj in LEERJAAR_NAAR_EXAMEN.items()}
        rijen, tech = [], []
        bestand = cohort[t].reindex(k.columns).fillna(0.0)
        met_profielen = "techniek_lj3" in bestand
        if met_profielen:  # the technical share of leerjaar 3, for the brugjaren (shrunk towards the region)
            tech_aandeel = gekrompen(cohort[t]["techniek_lj3"], cohort[t]["lj3"], regio_van).reindex(k.columns)
            tech_aandeel = tech_aandeel.fillna(float(cohort[t]["techniek_lj3"].sum() / max(cohort[t]["lj3"].sum(), 1)))
            behoud = techniek_behoud(cohort[t], regio_van).reindex(k.columns).fillna(1.0)
            tech_basis = {1: bestand["techniek_lj4"], 2: bestand["techniek_lj3"] * behoud,
                          3: basis[3] * tech_aandeel * behoud, 4: basis[4] * tech_aandeel * behoud}
        for h in range(1, horizon + 1):
            hh = min(h, max(LEERJAAR_NAAR_EXAMEN))
            lj = LEERJAAR_NAAR_EXAMEN[hh]
            eerder = [j for j in cohort if j < t and j + hh - 1 <= o and (j + hh - 1) in k.index
                      and k.loc[j + hh - 1].notna().any()]
            teller = sum((k.loc[j + hh - 1] for j in eerder), pd.Series(0.0, index=k.columns))
            noemer = sum((op_weg(j).reindex(k.columns)[lj].fillna(0.0) for j in eerder),
                         pd.Series(0.0, index=k.columns))
            rate = gekrompen(teller, noemer, regio_van) if eerder else pd.Series(1.0, index=k.columns)
            rijen.append(rate * basis[hh])
            if met_profielen:
                tech.append(rate * tech_basis[hh])
        jaren = _toekomst(k, horizon)
        totaal = pd.DataFrame(rijen, index=jaren).reindex(columns=k.columns).fillna(0.0)
        uit = {"kandidaten": totaal, **_verdeeld(p, totaal)}
        if met_profielen and "techniek" in p:  # the five profielen of the file, not a share of the past
            uit["techniek"] = pd.DataFrame(tech, index=jaren).reindex(columns=k.columns).fillna(0.0)
        return uit
    return model


def techniek_behoud(cohort: pd.DataFrame, regio_van: pd.Series | None) -> pd.Series:
    """Per vestiging: how the technical share of vmbo moves from leerjaar 3 to leerjaar 4, as one
    student file shows it across its two year groups (leerjaar 4's share over leerjaar 3's), shrunk
    towards the region's and the country's (gekrompen). Shares, not counts: a smaller or larger
    year group does not move a share.

    Why: every vmbo pupil is assumed to reach the exam (no earlier file gives a rate), yet in the
    real 2019 file the technical share is 11.6% in leerjaar 3 and 11.2% in leerjaar 4, and
    technical candidates two years on were 10.6% below leerjaar 3's technical pupils, all
    candidates 5.3% below. Without this rate the technical forecast two years ahead was 12%
    too high nationally (docs/assumptions.md)."""
    t3, n3, t4, n4 = (cohort[k] for k in ("techniek_lj3", "lj3", "techniek_lj4", "lj4"))
    verwacht = n4 * (t3 / n3.where(n3 > 0)).fillna(0.0)  # leerjaar 4's technical pupils at leerjaar 3's share
    return gekrompen(t4.where(verwacht > 0, 0.0), verwacht, regio_van)


def lj34_uit_bestand(cohort: pd.DataFrame, regio_van: pd.Series | None = None) -> dict[str, pd.DataFrame]:
    """vmbo students in leerjaar 3-4 one and two years after a single teldatum, all ('totaal')
    and in the technical profielen ('techniek'), per vestiging (rows: 1, 2 years ahead): next
    year's leerjaar 4 is this year's leerjaar 3, next year's leerjaar 3 this year's brugjaar 2
    times the vmbo share; the year after, brugjaar 2 and 1. The technical pupils of leerjaar 3
    go on, the brugjaren's get the technical share of leerjaar 3 (shrunk to the region's), and in
    leerjaar 4 both are counted at techniek_behoud, as in the exam forecast. Every student goes on
    (no earlier file to estimate the rates from); three years ahead the inflow is unknown, so it
    stops there. Used when the data
    has too few student years for the cohort model; there is no later file to score it against,
    and the page says so."""
    d = _lj34_delen(cohort, regio_van)
    return {"totaal": d["zeker"] + d["geschat"], "techniek": d["zeker_techniek"] + d["geschat_techniek"]}


def _lj34_delen(cohort: pd.DataFrame, regio_van: pd.Series | None) -> dict:
    """lj34_uit_bestand's counted part (leerjaar 3 going to 4), its estimated part (the brugjaren
    times the vmbo share), and their technical pupils: leerjaar 3's technical pupils and the
    brugjaren times leerjaar 3's technical share, each times techniek_behoud in the year it is in
    leerjaar 4 (as in the exam forecast)."""
    brug = vmbo_brugjaren(cohort, regio_van)
    nul = cohort["lj3"] * 0.0
    aandeel = gekrompen(cohort["techniek_lj3"], cohort["lj3"], regio_van)
    behoud = techniek_behoud(cohort, regio_van)
    return {"zeker": pd.DataFrame([cohort["lj3"], nul], index=[1, 2]),
            "zeker_techniek": pd.DataFrame([cohort["techniek_lj3"] * behoud, nul], index=[1, 2]),
            "geschat": pd.DataFrame([brug["lj2"], brug["lj2"] + brug["lj1"]], index=[1, 2]),
            "geschat_techniek": pd.DataFrame([brug["lj2"] * aandeel,
                                              (brug["lj2"] * behoud + brug["lj1"]) * aandeel], index=[1, 2])}


def invoerspreiding(cohort: pd.DataFrame, regio_van: pd.Series | None,
                    kwantielen: tuple[float, float] = INTERVAL) -> dict[str, tuple[float, float]]:
    """How far the two rates lj34_uit_bestand holds fixed move from one year group to the next,
    across the regions: per rate, the 10% and 90% points over the regions of its leerjaar 3 value
    over its leerjaar 4 value, divided by the median of that over the regions, minus 1.

    Rates: 'vmbo', the vmbo share of a year group (vmbo / vmbo + havo/vwo); 'techniek', the
    technical share of vmbo. One student file shows each rate in two year groups after the
    brugjaren, so this is the only change of a rate it can show; dividing by the median takes out
    what every region shares (pupils moving down from havo between leerjaar 3 and 4). Regions with
    fewer than MIN_BASIS pupils in a denominator do not count. Without regions: no spread (0, 0)."""
    if regio_van is None:
        return {"vmbo": (0.0, 0.0), "techniek": (0.0, 0.0)}
    per = cohort.groupby(regio_van.reindex(cohort.index)).sum()
    paren = {"vmbo": (("lj3", "lj3_alle"), ("lj4", "lj4_alle")),
             "techniek": (("techniek_lj3", "lj3"), ("techniek_lj4", "lj4"))}
    uit = {}
    for naam, ((t3, n3), (t4, n4)) in paren.items():
        genoeg = (per[n3] >= MIN_BASIS) & (per[n4] >= MIN_BASIS) & (per[t4] > 0)
        r = ((per[t3] / per[n3]) / (per[t4] / per[n4]))[genoeg]
        if len(r) < 2:
            uit[naam] = (0.0, 0.0)
            continue
        r = r / r.median() - 1
        uit[naam] = (float(r.quantile(kwantielen[0])), float(r.quantile(kwantielen[1])))
    return uit


def lj34_bereik(cohort: pd.DataFrame, regio_van: pd.Series | None,
                s: dict[str, tuple[float, float]]) -> dict[str, dict[str, pd.DataFrame]]:
    """The range of lj34_uit_bestand from the spread of its inputs (`s`: invoerspreiding), per
    vestiging: {'onder', 'boven'} -> {'totaal', 'techniek'} -> rows 1, 2 years ahead.

    The counted part (leerjaar 3 going to 4) is certain; the brugjaar part moves with the vmbo
    share; the technical pupils move with the technical share (the counted ones too: how many stay
    in a technical profiel from leerjaar 3 to 4 is a rate, techniek_behoud). A rate's spread is for one year
    group's step; two years ahead it is widened by sqrt(2), as the backtest band is beyond its
    longest horizon."""
    d = _lj34_delen(cohort, regio_van)
    wortel = np.sqrt(np.array([1.0, 2.0]))[:, None]
    uit = {}
    for grens, i in (("onder", 0), ("boven", 1)):
        v, t = (np.maximum(1 + s[naam][i] * wortel, 0.0) for naam in ("vmbo", "techniek"))
        uit[grens] = {"totaal": d["zeker"] + d["geschat"] * v,
                      "techniek": d["zeker_techniek"] * t + d["geschat_techniek"] * v * t}
    return uit


def examen_bereik(cohort: pd.DataFrame, regio_van: pd.Series | None, s: dict[str, tuple[float, float]],
                  horizon: int) -> dict[str, dict[str, pd.DataFrame]]:
    """The range of examen_cohort_model from the spread of its inputs (`s`: invoerspreiding), as
    factors on the forecast per vestiging: {'onder', 'boven'} -> {'kandidaten', 'techniek'} ->
    rows h = 1..horizon. For where no backtest gives a band (no earlier origin could be scored).

    As lj34_bereik: the counted pupils (leerjaar 4, then 3) are certain; the brugjaren move with
    the vmbo share (brugjaar 2 one year group's step from leerjaar 3, brugjaar 1 two: times
    sqrt(2)); the technical pupils with the technical share, the counted ones of leerjaar 3 too
    (techniek_behoud is a rate). The rate from a leerjaar to the exam is left out: it multiplies
    point and range alike. Beyond four years, where the last level holds, the spread of year
    four grows with sqrt(h / 4), as a band does beyond the backtest's longest horizon."""
    brug = vmbo_brugjaren(cohort, regio_van)
    behoud = techniek_behoud(cohort, regio_van)
    techniek = gekrompen(cohort["techniek_lj3"], cohort["lj3"], regio_van) * behoud
    nul = cohort["lj3"] * 0.0
    # per h: (counted pupils, technical ones; brugjaar pupils, technical ones; steps from brugjaar to leerjaar 3)
    delen = {1: (cohort["lj4"], cohort["techniek_lj4"], nul, nul, 0.0),
             2: (cohort["lj3"], cohort["techniek_lj3"] * behoud, nul, nul, 0.0),
             3: (nul, nul, brug["lj2"], brug["lj2"] * techniek, 1.0),
             4: (nul, nul, brug["lj1"], brug["lj1"] * techniek, np.sqrt(2))}
    uit = {}
    for grens, i in (("onder", 0), ("boven", 1)):
        rijen = {"kandidaten": [], "techniek": []}
        for h in range(1, horizon + 1):
            geteld, geteld_t, brugjaar, brugjaar_t, stappen = delen[min(h, 4)]
            verder = np.sqrt(h / 4) if h > 4 else 1.0
            v, t = (max(1 + s[naam][i] * stappen * verder, 0.0) for naam in ("vmbo", "techniek"))
            blijft = max(1 + s["techniek"][i], 0.0) if h == 2 else 1.0  # leerjaar 3's technical pupils
            for reeks, punt, rand in (("kandidaten", geteld + brugjaar, geteld + brugjaar * v),
                                      ("techniek", geteld_t + brugjaar_t, geteld_t * blijft + brugjaar_t * v * t)):
                rijen[reeks].append((rand / punt.where(punt > 0)).fillna(1.0).rename(h))
        uit[grens] = {k: pd.DataFrame(r) for k, r in rijen.items()}
    return uit


# -- after the data: the cohorts already born --------------------------------------------------
def demografisch_model(per_vestiging: pd.DataFrame, geboren: Callable[[int], list[int]]) -> Model:
    """Each series' last known value per vestiging, times the growth of the birth cohorts that
    fill that year against those of the last year (model.demografie: the vestiging's PC3 area).
    `geboren(jaar)`: the birth years of a year's pupils (exam candidates: [jaar - 15]; leerjaar
    3-4: [jaar - 14, jaar - 15]). Where a birth year lies outside the residents' table the level
    holds. A vestiging without a count at the origin gets 0: the set of vestigingen is the
    origin's. Shares between series stay as they were in the last year."""
    from .demografie import groei

    def model(p: Panelen, horizon: int) -> Panelen:
        k = next(iter(p.values()))
        o = int(_bekend(k).index[-1])
        jaren = _toekomst(k, horizon)
        pv = per_vestiging.reindex(k.columns)
        factor = pd.DataFrame({j: groei(pv, geboren(int(j)), geboren(o)) for j in jaren}).T
        factor = factor.reindex(index=jaren, columns=k.columns).ffill().fillna(1.0)
        return {n: factor * _bekend(t).iloc[-1].fillna(0.0) for n, t in p.items()}
    return model


def _groepen(vestigingen: pd.Index, regio_van: pd.Series | None) -> pd.Series:
    """The group a spread is counted in: each vestiging's region, else the vestiging itself."""
    return regio_van.reindex(vestigingen) if regio_van is not None else pd.Series(vestigingen, index=vestigingen)


def deelname_spreiding(p: Panelen, per_vestiging: pd.DataFrame | None, geboren: Callable[[int], list[int]],
                       regio_van: pd.Series | None, jaren: int = TREND_JAREN,
                       kwantielen: tuple[float, float] = INTERVAL) -> dict[str, tuple[float, float]]:
    """How far the rate demografisch_model holds fixed (a region's series per resident of the birth
    year that fills it: its participation) moved from one year to the next in the known years: per
    series, the 10% and 90% points over regions and the last `jaren` year pairs of (count / the
    year before's count times the growth of its birth cohort) - 1. Regions with an expected count
    under MIN_BASIS do not count; without regions the vestigingen do. A series with under two
    values is left out. `per_vestiging` None: no growth, the level the last value holds fixed.

    For the range from the inputs where no origin could score what is shown (e.g. the residents
    were counted only in the last year). Only the years up to the origin and the residents' count
    the forecast itself uses go in."""
    from .demografie import groei

    uit = {}
    for k, t in p.items():
        b = _bekend(t).fillna(0.0)
        paren = [j for j in b.index[1:] if j - 1 in b.index][-jaren:]
        r = _groepen(b.columns, regio_van)
        waarden = []
        for j in paren:
            g = 1.0 if per_vestiging is None else \
                groei(per_vestiging.reindex(b.columns), geboren(int(j)), geboren(int(j) - 1)).fillna(1.0)
            verwacht = (b.loc[j - 1] * g).groupby(r).sum()
            echt = b.loc[j].groupby(r).sum()
            genoeg = verwacht >= MIN_BASIS
            waarden += list((echt[genoeg] / verwacht[genoeg] - 1).to_numpy())
        if len(waarden) >= 2:
            uit[k] = (float(np.quantile(waarden, kwantielen[0])), float(np.quantile(waarden, kwantielen[1])))
    return uit


def doorstroom_spreiding(p: Panelen, regio_van: pd.Series | None, jaren: int = TREND_JAREN,
                         kwantielen: tuple[float, float] = INTERVAL) -> tuple[float, float] | None:
    """How far the progression ratios cohort_model averages (leerjaar 2 -> 3 and 3 -> 4) moved
    from one year to the next: per region (without regions: per vestiging), ratio and transition
    in the last `jaren` known transitions, the ratio over its mean of those years - 1; the 10% and
    90% points of them all. A base under MIN_BASIS pupils does not count, nor a group with fewer
    than two years left; None under two values.

    For the range from the inputs where the backtest has too few errors for a band."""
    waarden = []
    for k in (3, 4):
        nu, vorig = p[f"lj{k}"], p[f"lj{k - 1}"]
        overgangen = [j for j in nu.index[1:] if j - 1 in vorig.index
                      and nu.loc[j].notna().any() and vorig.loc[j - 1].notna().any()][-jaren:]
        if len(overgangen) < 2:
            continue
        r = _groepen(nu.columns, regio_van)
        teller = nu.loc[overgangen].fillna(0.0).T.groupby(r).sum().T
        noemer = vorig.loc[[j - 1 for j in overgangen]].fillna(0.0).T.groupby(r).sum().T.set_axis(overgangen)
        ratio = teller / noemer.where(noemer >= MIN_BASIS)
        ratio = ratio.loc[:, ratio.notna().sum() >= 2]  # one year alone is its own mean: no movement to see
        waarden += list((ratio / ratio.mean() - 1).stack().dropna().to_numpy())
    if len(waarden) < 2:
        return None
    return float(np.quantile(waarden, kwantielen[0])), float(np.quantile(waarden, kwantielen[1]))


def met_regioaandeel(p: Panelen, uit: Panelen, regio_van: pd.Series | None, vanaf: int = 1,
                     gewicht: float = MENGING) -> Panelen:
    """A forecast combined with the region's share of its national total: per region and year,
    (1 - gewicht) x the forecast's own region total + gewicht x the region's share of the
    national series over the last VENSTER known years x the forecast's national total; each
    vestiging keeps its place within its region. From `vanaf` years ahead only.

    Why: where the input is an estimate (birth cohorts, brugjaren times a share) a region's
    forecast carries the noise of its one last year; its share over three years carries less.
    On the real exam series this lowered the technical series' region MAPE at h = 3 from 18.1%
    to 15.1% and at the demographic origins by about 1 point, and raised it where the file
    counts the technical pupils themselves (h = 2: 16.5% to 19.6%), so there it is not used
    (docs/assumptions.md)."""
    if regio_van is None or gewicht <= 0:
        return uit
    res = {}
    for k, t in uit.items():
        if k not in p:
            res[k] = t
            continue
        r = regio_van.reindex(t.columns)
        toegewezen = r.notna().to_numpy()
        geschiedenis = _bekend(p[k]).tail(VENSTER).reindex(columns=t.columns).fillna(0.0)
        landelijk = float(geschiedenis.to_numpy().sum())
        if landelijk <= 0 or not toegewezen.any():
            res[k] = t
            continue
        aandeel = geschiedenis.loc[:, toegewezen].sum().groupby(r[toegewezen]).sum() / landelijk
        eigen = t.loc[:, toegewezen].T.groupby(r[toegewezen]).sum().T
        doel = (1 - gewicht) * eigen + gewicht * np.outer(t.sum(axis=1), aandeel.reindex(eigen.columns))
        factor_r = (doel / eigen.where(eigen > 0)).fillna(1.0)
        stap = np.arange(1, len(t) + 1) >= vanaf
        factor_r.loc[~stap] = 1.0
        factor = pd.DataFrame(1.0, index=t.index, columns=t.columns)
        factor.loc[:, toegewezen] = factor_r.reindex(columns=r[toegewezen]).to_numpy()
        res[k] = t * factor
    return res


def examen_methode(cohort: dict[int, pd.DataFrame], regio_van: pd.Series | None,
                   per_vestiging: dict[int, pd.DataFrame]) -> tuple[Model, Callable[[int], str | None]]:
    """The forecast of exam candidates, and which part of it runs at an origin:
    - 'cohort' when the data has the student file of the teldatum just after the origin
      (examen_cohort_model: four years from the pupils already in school);
    - else 'demografie' when the residents by age were counted at or before the origin
      (demografisch_model: the last value times the growth of the birth cohorts);
    - else None: the last value (a baseline; the page says so).
    Nothing counted after the origin is used: a later student file or residents' count is
    ignored at that origin. `per_vestiging`: peiljaar -> residents per birth year around each
    vestiging (model.demografie); the newest count made by the origin is used."""
    from .demografie import examen_geboortejaar

    cohort_m = examen_cohort_model(cohort, regio_van)
    demo_m = {j: demografisch_model(t, lambda jaar: [examen_geboortejaar(jaar)]) for j, t in per_vestiging.items()}

    def peiljaar(o: int) -> int | None:
        return max((j for j in demo_m if j <= o), default=None)

    def welke(o: int) -> str | None:
        if o + 1 in cohort:
            return "cohort"
        if peiljaar(o) is not None:
            return "demografie"
        return None

    def model(p: Panelen, horizon: int) -> Panelen:
        o = int(_bekend(p["kandidaten"]).index[-1])
        w = welke(o)
        if w == "cohort":
            return met_regioaandeel(p, cohort_m(p, horizon), regio_van, vanaf=GESCHAT_VANAF)
        if w == "demografie":
            return met_regioaandeel(p, demo_m[peiljaar(o)](p, horizon), regio_van)
        return examen_model(p, horizon)
    return model, welke


def landelijk_geschaald(model: Model) -> Model:
    """Baseline: each vestiging's last value times the national growth that `model` forecasts
    from what is known at the origin (its student file or the residents by age). Stronger than
    the last value where the whole country grows or shrinks; it says nothing about a region's
    own course."""
    def baseline(p: Panelen, horizon: int) -> Panelen:
        uit = model(p, horizon)
        res = {}
        for k, t in p.items():
            laatste = _laatste_waarde(t, horizon)
            nu = float(_bekend(t).iloc[-1].sum())
            g = uit[k].sum(axis=1) / nu if k in uit and nu > 0 else pd.Series(1.0, index=laatste.index)
            res[k] = laatste.mul(g, axis=0)
        return res
    return baseline


# -- the cohort model -------------------------------------------------------------------------
def cohort_model(p: Panelen, horizon: int, instroom_factor: pd.DataFrame | None = None) -> Panelen:
    """Cohort progression per vestiging, then the recent shares for leerweg, techniek, profiel.

    `instroom_factor` (future year x vestiging): the inflow in leerjaar 1 is its mean of the
    last VENSTER years times this factor (the size of the birth cohort that enters then,
    from the residents by age: `instroom_factor`); 1 where absent.
    """
    lj = {k: p[f"lj{k}"] for k in (1, 2, 3, 4)}
    jaren = _toekomst(lj[1], horizon)
    f = pd.DataFrame(1.0, index=jaren, columns=lj[1].columns)
    if instroom_factor is not None:
        f = instroom_factor.reindex(index=jaren, columns=lj[1].columns).ffill().fillna(1.0)
    ratio = {k: _doorstroom(lj[k], lj[k - 1]) for k in (2, 3, 4)}
    vlak = {k: _gemiddelde(lj[k], VENSTER) for k in (1, 2, 3, 4)}
    instroom = vlak[1]
    vorig = {k: _bekend(lj[k]).iloc[-1] for k in (1, 2, 3, 4)}
    rijen = {k: [] for k in (1, 2, 3, 4)}
    for jaar in jaren:
        nu = {1: instroom * f.loc[jaar]}
        for k in (2, 3, 4):
            nu[k] = (ratio[k] * vorig[k - 1]).fillna(vlak[k])
        for k in (1, 2, 3, 4):
            rijen[k].append(nu[k])
        vorig = nu
    uit = {f"lj{k}": pd.DataFrame(rijen[k], index=jaren) for k in (1, 2, 3, 4)}
    uit["totaal"] = uit["lj3"] + uit["lj4"]
    for k, t in p.items():
        if k not in uit:
            uit[k] = uit["totaal"] * _aandeel(t, p["totaal"])
    return uit


def instroom_factor(per_vestiging: pd.DataFrame, lj1: pd.DataFrame, horizon: int) -> pd.DataFrame:
    """Per future year and vestiging: the residents born in the year that enters leerjaar 1
    then, over the mean of those born in the years whose leerjaar 1 makes up the inflow (the
    last VENSTER known years), around the vestiging (model.demografie). A birth year after the
    count (not born yet) holds the last factor; none at all: 1."""
    from .demografie import geboortejaar, groei

    basis = [geboortejaar(int(j), 1) for j in _bekend(lj1).tail(VENSTER).index]
    jaren = _toekomst(lj1, horizon)
    pv = per_vestiging.reindex(lj1.columns)
    f = pd.DataFrame({j: groei(pv, [geboortejaar(int(j), 1)], basis) * len(basis) for j in jaren}).T
    return f.reindex(index=jaren, columns=lj1.columns).ffill().fillna(1.0)
