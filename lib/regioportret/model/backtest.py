"""Backtest: how good the forecast has been. Rolling origin over every year in the data.

For each origin T the models see only the panels up to T (the harness cuts them), predict
T+1 .. T+H, and are scored against what happened, per vestiging, per region (sum over its
vestigingen) and nationally. The baselines run in the same loop on the same data.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from . import prognose as pg

HORIZON = 4
MIN_JAREN = 3  # history an origin needs before it is scored
NIVEAUS = ("vestiging", "regio", "landelijk")


def _niveaus(t: pd.DataFrame, regio_van: pd.Series | None) -> dict[str, pd.DataFrame]:
    """The same panel summed to each level (columns: vestiging, regionummer, 'NL')."""
    uit = {"vestiging": t, "landelijk": t.sum(axis=1, min_count=1).to_frame("NL")}
    if regio_van is not None:
        r = regio_van.reindex(t.columns)
        uit["regio"] = t.loc[:, r.notna()].T.groupby(r.dropna()).sum(min_count=1).T
    return uit


def oorsprongen(t: pd.DataFrame, min_jaren: int = MIN_JAREN) -> list[int]:
    """Every year with at least `min_jaren` known years up to it and a known year after it."""
    jaren = [int(j) for j in t.index if t.loc[j].notna().any()]
    return [j for j in jaren[min_jaren - 1:] if j < jaren[-1]]


def voorspellingen(panelen: pg.Panelen, modellen: dict[str, pg.Model], doelen: list[str],
                   regio_van: pd.Series | None = None, horizon: int = HORIZON,
                   min_jaren: int = MIN_JAREN, voortgang: Callable | None = None,
                   alleen: list[int] | None = None) -> pd.DataFrame:
    """Long table: reeks, oorsprong, jaar, h, model, niveau, eenheid, voorspeld, werkelijk.

    Each model runs once per origin on the panels cut at that origin; every series in
    `doelen` is scored. `regio_van`: vestigingscode -> regionummer (the active indeling).
    `alleen`: score only these origins (e.g. those a student file exists for).
    """
    echt = {d: _niveaus(panelen[d], regio_van) for d in doelen}
    delen = []
    kandidaten = oorsprongen(panelen[doelen[0]], min_jaren)
    stappen = [(t, m) for t in kandidaten if alleen is None or t in alleen for m in modellen]
    for t, naam in (voortgang(stappen) if voortgang else stappen):
        geschiedenis = {k: v.loc[:t] for k, v in panelen.items()}
        uitkomst = modellen[naam](geschiedenis, horizon)
        for doel in doelen:
            for niveau, v in _niveaus(uitkomst[doel], regio_van).items():
                w = echt[doel][niveau].reindex(index=v.index, columns=v.columns)
                lang = pd.DataFrame({
                    "jaar": np.repeat(v.index.to_numpy(), v.shape[1]),
                    "eenheid": np.tile(v.columns.astype(str).to_numpy(), v.shape[0]),
                    "voorspeld": v.to_numpy().ravel(),
                    "werkelijk": w.to_numpy().ravel(),
                })
                lang = lang[lang["werkelijk"].notna()]
                delen.append(lang.assign(reeks=doel, oorsprong=t, h=lang["jaar"] - t, model=naam, niveau=niveau))
    kolommen = ["reeks", "oorsprong", "jaar", "h", "model", "niveau", "eenheid", "voorspeld", "werkelijk"]
    if not delen:
        return pd.DataFrame(columns=kolommen)
    return pd.concat(delen, ignore_index=True)[kolommen]


def fouten(v: pd.DataFrame, model: str = "model") -> pd.DataFrame:
    """MAE, MAPE, bias per niveau x h x model, and ratio_best_baseline = model MAPE / the
    lowest baseline MAPE at that niveau and h (`beste_basislijn` names that baseline).

    MAPE skips units whose actual value is 0 (the error is undefined there); `n` counts the
    scored forecasts, `n_mape` those in the MAPE.
    """
    d = v.assign(fout=v["voorspeld"] - v["werkelijk"])
    d["ape"] = (d["fout"].abs() / d["werkelijk"]).where(d["werkelijk"] > 0)
    t = (d.groupby(["reeks", "niveau", "h", "model"])
         .agg(n=("fout", "size"), mae=("fout", lambda f: f.abs().mean()), mape=("ape", "mean"),
              n_mape=("ape", "count"), bias=("fout", "mean"))
         .reset_index())
    sleutel = ["reeks", "niveau", "h"]
    andere = t[(t["model"] != model) & t["mape"].notna()].sort_values("mape")
    basis = andere.groupby(sleutel).agg(beste_basislijn_mape=("mape", "first"), beste=("model", "first"))
    t = t.merge(basis, on=sleutel, how="left")
    t["ratio_best_baseline"] = (t["mape"] / t["beste_basislijn_mape"]).where(t["model"] == model)
    t["beste_basislijn"] = t["beste"].where(t["model"] == model)
    t = t.drop(columns="beste")
    volgorde = {n: i for i, n in enumerate(NIVEAUS)}
    return (t.sort_values(["reeks", "niveau", "h", "model"],
                          key=lambda s: s.map(volgorde) if s.name == "niveau" else s)
            .drop(columns="beste_basislijn_mape").reset_index(drop=True))


def ratio_tabel(tabel: pd.DataFrame, reeks: str) -> pd.DataFrame:
    """niveau x h -> ratio_best_baseline of one series (the headline of a backtest)."""
    m = tabel[tabel["ratio_best_baseline"].notna() & (tabel["reeks"] == reeks)]
    return m.pivot(index="niveau", columns="h", values="ratio_best_baseline").reindex(
        [n for n in NIVEAUS if n in set(m["niveau"])])


MIN_FOUTEN = 20  # a band needs at least this many backtest errors at its level and horizon


def interval_factoren(v: pd.DataFrame, model: str = "model", kwantielen=pg.INTERVAL,
                      max_horizon: int = pg.MAX_HORIZON, min_fouten: int = MIN_FOUTEN) -> pd.DataFrame:
    """Per niveau x h: the empirical quantiles of actual / forecast - 1 in the backtest.

    A band is forecast x (1 + onder) .. forecast x (1 + boven). Beyond the longest horizon the
    backtest could score, the widest band is widened by sqrt(h / h_max) (errors of a random
    walk grow like that), and said so in docs/assumptions.md. A level and horizon with fewer
    than `min_fouten` errors gets no band (too few to say where 80% of the outcomes lie).
    """
    kolommen = ["reeks", "niveau", "h", "onder", "boven", "n", "verbreed"]
    d = v[(v["model"] == model) & (v["voorspeld"] > 0)]
    if d.empty:  # too few exam years to backtest at all: no band anywhere
        return pd.DataFrame(columns=kolommen)
    rel = (d["werkelijk"] / d["voorspeld"] - 1).astype(float)
    groep = [d["reeks"], d["niveau"], d["h"]]
    q = rel.groupby(groep).quantile(list(kwantielen)).unstack()
    q.columns = ["onder", "boven"]
    q["n"] = rel.groupby(groep).size()
    q = q[q["n"] >= min_fouten]
    if q.empty:
        return pd.DataFrame(columns=kolommen)
    rijen = []
    for reeks, niveau in q.index.droplevel(2).unique():
        eigen = q.loc[(reeks, niveau)]
        hmax = int(eigen.index.max())
        for h in range(1, max_horizon + 1):
            if h in eigen.index:
                r = eigen.loc[h]
                rijen.append((reeks, niveau, h, r["onder"], r["boven"], int(r["n"]), False))
            else:
                f = np.sqrt(h / hmax)
                r = eigen.loc[hmax]
                rijen.append((reeks, niveau, h, r["onder"] * f, r["boven"] * f, int(r["n"]), True))
    uit = pd.DataFrame(rijen, columns=kolommen)
    uit["onder"] = uit["onder"].clip(lower=-1.0)
    return uit


def dekking(v: pd.DataFrame, factoren: pd.DataFrame, model: str = "model") -> pd.DataFrame:
    """Share of actual values inside their band, per reeks x niveau x h (to check the bands)."""
    d = v[v["model"] == model].merge(factoren, on=["reeks", "niveau", "h"])
    binnen = ((d["werkelijk"] >= d["voorspeld"] * (1 + d["onder"]))
              & (d["werkelijk"] <= d["voorspeld"] * (1 + d["boven"])))
    return binnen.groupby([d["reeks"], d["niveau"], d["h"]]).mean().rename("dekking").reset_index()


def dekking_buiten_steekproef(v: pd.DataFrame, model: str = "model", min_fouten: int = MIN_FOUTEN) -> pd.DataFrame:
    """The band's coverage measured out of sample: each origin is scored with a band built only
    from the errors of earlier origins (as the band of today's forecast is built from the past).
    Per reeks x niveau x h: dekking (share inside) and n (forecasts scored)."""
    d = v[v["model"] == model]
    delen = []
    for o in sorted(d["oorsprong"].unique()):
        eerder = d[d["oorsprong"] < o]
        if eerder.empty:
            continue
        f = interval_factoren(eerder, model, min_fouten=min_fouten)
        if f.empty:
            continue
        nu = d[d["oorsprong"] == o].merge(f[~f["verbreed"].astype(bool)], on=["reeks", "niveau", "h"])
        if len(nu):
            delen.append(nu.assign(binnen=(nu["werkelijk"] >= nu["voorspeld"] * (1 + nu["onder"]))
                                   & (nu["werkelijk"] <= nu["voorspeld"] * (1 + nu["boven"]))))
    if not delen:
        return pd.DataFrame(columns=["reeks", "niveau", "h", "dekking", "n"])
    a = pd.concat(delen, ignore_index=True)
    return (a.groupby(["reeks", "niveau", "h"])["binnen"].agg(dekking="mean", n="size").reset_index())


def score_extern(extern: pd.DataFrame, werkelijk: pd.DataFrame, oorsprong: int, naam: str) -> pd.DataFrame:
    """Score someone else's forecast (e.g. DUO's leerlingenprognose) in the same long format.

    `extern` and `werkelijk`: panels (year x unit) on the same units; only years after
    `oorsprong` are scored.
    """
    jaren = [j for j in extern.index if j > oorsprong and j in werkelijk.index]
    e = extern.loc[jaren]
    w = werkelijk.reindex(index=jaren, columns=e.columns)
    lang = pd.DataFrame({
        "jaar": np.repeat(np.asarray(jaren), e.shape[1]),
        "eenheid": np.tile(e.columns.astype(str).to_numpy(), len(jaren)),
        "voorspeld": e.to_numpy().ravel(), "werkelijk": w.to_numpy().ravel(),
    }).dropna()
    return lang.assign(reeks="vmbo", oorsprong=oorsprong, h=lang["jaar"] - oorsprong, model=naam, niveau="instelling")
