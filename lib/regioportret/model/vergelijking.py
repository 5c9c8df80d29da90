"""Regions side by side: one row of indicators per region of the active indeling, and the country.

Computed once per dataset and indeling with group-bys (no loop over portraits), so ranking all
regions on any indicator is a sort.
"""

from __future__ import annotations

import pandas as pd

from .. import rules
from ..format import heel
from .trend import techniek_per_jaar, verandering

INDICATOREN = {
    "techniekaandeel": ("Techniekaandeel", "procent"),
    "techniek": ("Leerlingen in technische profielen", "getal"),
    "leerlingen": ("Leerlingen leerjaar 3-4", "getal"),
    **{f"aandeel_{p}": (f"Aandeel {rules.PROFIEL_AFKORTING[p]}", "procent") for p in rules.TECHNISCHE_PROFIELEN},
    "trend": ("Verandering techniek over de jaren in de data", "procent"),
    "prognose_groei": ("Prognose: groei in 4 jaar", "procent"),
}
LANDELIJK = "Nederland"


def _per_regio(waarden: pd.Series, regio_van: pd.Series) -> pd.Series:
    return waarden.groupby(regio_van.reindex(waarden.index)).sum()


def tabel(b, indeling, trend_basis: pd.DataFrame | None, examens: pd.DataFrame | None,
          prognose=None, horizon: int = 4, definitie: str | None = None) -> pd.DataFrame:
    """Index: regionummer (and 0 for the country, named 'Nederland'); columns: INDICATOREN and
    the periods the trend and the forecast cover."""
    t = b.tabel
    land = b.portret(definitie=definitie)  # the whole country, in the definition in use
    regio_van = indeling.tabel.set_index("vestigingscode")["regionummer"]
    per_vest = t.groupby("vestigingscode")["aantal"].sum()
    tech = t[t["profiel"].isin(land.definitie.teller_profielen)].groupby("vestigingscode")["aantal"].sum()
    noemer_v = t[t["leerweg"].isin(land.definitie.noemer_leerwegen)].groupby("vestigingscode")["aantal"].sum()
    kolommen = {"leerlingen": per_vest, "noemer": noemer_v, "techniek": tech}
    for p in rules.TECHNISCHE_PROFIELEN:
        kolommen[p] = t[t["profiel"] == p].groupby("vestigingscode")["aantal"].sum()
    regio = pd.DataFrame({k: _per_regio(v, regio_van) for k, v in kolommen.items()}).fillna(0)
    nl = pd.DataFrame({k: [v.sum()] for k, v in kolommen.items()}, index=[0])
    d = pd.concat([regio, nl])
    d.index = d.index.astype("int64")
    d["techniekaandeel"] = d["techniek"] / d["noemer"].where(d["noemer"] > 0)  # the round's denominator
    for p in rules.TECHNISCHE_PROFIELEN:
        d[f"aandeel_{p}"] = d[p] / d["leerlingen"].where(d["leerlingen"] > 0)
    trend, d.attrs["trend"] = _trend(trend_basis, examens, regio_van, d.index)
    d[trend.columns] = trend
    d["prognose_groei"], d.attrs["prognose"] = _groei(prognose, regio_van, d.index, horizon,
                                                      set(t["vestigingscode"]))
    namen = indeling.regios.set_index("regionummer")["regionaam"]
    d.insert(0, "regionaam", [LANDELIJK if i == 0 else namen.get(i, "") for i in d.index])
    d.index.name = "regionummer"
    return d


def _trend(trend_basis, examens, regio_van, index) -> tuple[pd.DataFrame, str]:
    """The technical series' change per region and nationally, as estimate with its range
    (one rule for '<5'); the same series and rule as each portrait's trend."""
    reeks, label = techniek_per_jaar(trend_basis, examens)
    kolommen = ["trend", "trend_laag", "trend_hoog"]
    if reeks is None:
        return pd.DataFrame(None, index=index, columns=kolommen, dtype="float64"), label
    regio = verandering(reeks, regio_van)
    land = verandering(reeks).set_axis([0])
    t = pd.concat([regio, land])[["punt", "laag", "hoog"]].set_axis(kolommen, axis=1)
    van, tot = land.at[0, "van"], land.at[0, "tot"]
    return t.reindex(index).astype("float64"), f"{label}, {van} tot {tot}"


def _groei(prognose, regio_van, index, horizon, deelnemend: set[str]) -> tuple[pd.Series, str]:
    """Growth of the main series over `horizon` years, as the page shows it: a region sums its
    deelnemende vestigingen, the country all of them, each rounded to whole students first."""
    if prognose is None:
        return pd.Series(None, index=index, dtype="float64"), "geen prognose"
    r = prognose.hoofdreeks
    nu = prognose.historie[r].loc[prognose.oorsprong]
    straks = prognose.voorspelling[r].loc[prognose.oorsprong + horizon]
    mee = nu.index.isin(list(deelnemend))
    r0 = _per_regio(nu[mee], regio_van).map(heel).astype("float64")
    r1 = _per_regio(straks[mee], regio_van).map(heel).astype("float64")
    uit = (r1 / r0.where(r0 > 0) - 1).reindex(index)
    n0, n1 = heel(nu.sum()), heel(straks.sum())
    uit.loc[0] = n1 / n0 - 1 if n0 else None
    from .prognoseportret import reeks_label

    return uit, f"{reeks_label(r, prognose.soort)}, {prognose.oorsprong} → {prognose.oorsprong + horizon}"


def rangorde(tabel: pd.DataFrame, indicator: str) -> list[tuple]:
    """Every region on one indicator, highest first: (place, regionummer, regionaam, value, value
    as a share of the largest, for a bar). `tabel`: the comparison of every region (row 0: the country)."""
    regio = tabel[tabel.index != 0]
    r = regio[indicator].dropna().sort_values(ascending=False)
    hoogste = max(abs(r).max(), 1e-9) if len(r) else 1
    return [(i, int(nr), str(regio.at[nr, "regionaam"]), w, abs(w) / hoogste) for i, (nr, w) in enumerate(r.items(), start=1)]
