"""Prognose backtest figures for the issue: the full error table, ratio_best_baseline per level
and horizon, band coverage out of sample, the variants tried on the exam series, and speed.

    python benchmarks/prognose.py [DATA] [--herhaal N]

DATA: a raw or processed folder (default: the embedded demo data). Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd

from regioportret import store
from regioportret.context import Context, actieve_indeling
from regioportret.model import backtest as bt
from regioportret.model import prognose as pg
from regioportret.model import prognoseportret as pp


def _aandeel_landelijk(p, horizon):
    """Variant: each vestiging's share of the national total (last 3 years) x the national last value."""
    t = p["kandidaten"]
    landelijk = t.sum(axis=1)
    noemer = pd.DataFrame(np.repeat(landelijk.to_numpy()[:, None], t.shape[1], 1), index=t.index, columns=t.columns)
    aandeel = pg._aandeel(t, noemer)
    vooruit = pg._laatste_waarde(landelijk.to_frame("NL"), horizon)["NL"]
    return {"kandidaten": pd.DataFrame(np.outer(vooruit, aandeel), index=vooruit.index, columns=t.columns)}


def _gedempt(demping):
    return lambda p, h: {"kandidaten": pg.gedempte_trend(p["kandidaten"], h, demping)}


def _samenvatting(b, ds, indeling, regios: str | None) -> None:
    """The figures the forecast issue asks for: the technical series' backtest at region level
    (method, best baseline and which, ratio), the national technical change with its range, and
    the technical leerjaar 3-4 forecast nationally and for three regions, with bands."""
    from regioportret.context import Context
    from regioportret.format import prognosepunt, verandering

    techniek = "techniek"
    f = b.fouten[(b.fouten["reeks"] == techniek) & (b.fouten["niveau"] == "regio")]
    if not f.empty:
        print("== Technische reeks, niveau regio: methode, beste basislijn (welke), verhouding")
        for h, g in f.groupby("h"):
            m = g[g["model"] == "model"].iloc[0]
            beste = g[g["model"] == m["beste_basislijn"]].iloc[0]
            print(f"h={h}: methode {100 * m['mape']:.1f}%  beste basislijn {100 * beste['mape']:.1f}% "
                  f"({beste['model']})  verhouding {m['ratio_best_baseline']:.2f}  (n={int(m['n'])})")
    ctx = Context(ds, indeling)
    land = ctx.selectie()
    v = land.trend.verandering
    if v:
        print(f"\n== Landelijke verandering {v['reeks']} {v['van']} tot {v['tot']}: "
              f"{verandering(v['punt'], v['laag'], v['hoog'])} (onderdrukte cellen {v['onderdrukt_van']} en "
              f"{v['onderdrukt_tot']}; met '<5' als 0: {100 * (v['bekend_tot'] / v['bekend_van'] - 1):.1f}%)")
    k = (b.lj34 or {}).get("kruiscontrole")
    if k is not None and not k.empty:
        print("\n== Kruiscontrole deelname over de regio's (MAPE leerjaar 3-4, per regio)")
        print(k.pivot(index="fit", columns="reeks", values="mape").round(3).to_string())
    nummers = [int(x) for x in regios.split(",")] if regios else list(indeling.regios["regionummer"][:3])
    print("\n== Prognose technische leerlingen leerjaar 3-4 (met band)")
    for s in [land, *[ctx.selectie([n]) for n in nummers]]:
        p = s.prognose
        if p is None or "techniek" not in p.leerlingen:
            continue
        r = p.leerlingen["techniek"]
        print(f"{s.titel}: " + "; ".join([f"{j} {n} (telling)" for j, n in r.historie.items()] + [
            f"{x.jaar} {prognosepunt(x.punt, x.onder, x.boven)}" for x in p.leerlingen_tot("techniek")
            if x.jaar > p.oorsprong]) + f"  [band: niveau {r.band_niveau}]")
    print()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data", nargs="?", default=None)
    ap.add_argument("--herhaal", type=int, default=3)
    ap.add_argument("--regios", default=None, help="regionummers voor de prognosetabel, bv. 12,18,24")
    args = ap.parse_args()
    pd.set_option("display.width", 200)
    pd.set_option("display.max_rows", 200)

    ds = store.laad(args.data)
    indeling = actieve_indeling(ds)
    tijden = []
    for _ in range(args.herhaal):
        t0 = time.perf_counter()
        b = Context(ds, indeling)._prognose_bereken()
        tijden.append(time.perf_counter() - t0)
    if b is None:
        print("Geen reeks met genoeg jaren: geen prognose.")
        return
    print(f"Data: {ds.map}  soort: {b.soort}  laatste jaar: {b.oorsprong}  indeling: {indeling.label}")
    print(f"Backtest-oorsprongen van de methode: {b.backtest_oorsprongen}; getoond: {b.getoond}")
    print(f"Methode: {b.methode}\n")
    for reeks in pp.DOELEN[b.soort]:
        f = b.fouten[b.fouten["reeks"] == reeks]
        print(f"== {reeks}: MAPE per niveau x methode x horizon")
        print(f.pivot_table(index=["niveau", "model"], columns="h", values="mape").round(4).to_string())
        print(f"\n== {reeks}: bias (voorspeld - werkelijk, gemiddeld)")
        print(f.pivot_table(index=["niveau", "model"], columns="h", values="bias").round(1).to_string())
        print(f"\n== {reeks}: ratio_best_baseline (methode MAPE / beste basislijn MAPE)")
        print(bt.ratio_tabel(b.fouten, reeks).round(3).to_string(), "\n")
    print(f"== Dekking van de {round(100 * (pg.INTERVAL[1] - pg.INTERVAL[0]))}%-band van wat getoond wordt "
          f"({b.getoond}), buiten de steekproef: elke oorsprong met een band uit alleen eerdere oorsprongen")
    if b.dekking is not None and len(b.dekking):
        print(b.dekking.pivot_table(index=["reeks", "niveau"], columns="h", values="dekking").round(2).to_string())
        print(b.dekking.pivot_table(index=["reeks", "niveau"], columns="h", values="n").to_string(), "\n")
    else:
        print("(te weinig oorsprongen)\n")

    if b.soort == "examenkandidaten":
        panelen = {"kandidaten": pg.examen_panelen(ds.examens)["kandidaten"]}
        regio_van = indeling.tabel.set_index("vestigingscode")["regionummer"]
        varianten = {"model": pg.examen_model, **pg.BASISLIJNEN, "aandeel_landelijk": _aandeel_landelijk,
                     **{f"gedempte_trend_{d}": _gedempt(d) for d in (0.0, 0.3, 0.6, 0.8)}}
        vv = bt.voorspellingen(panelen, varianten, ["kandidaten"], regio_van)
        print("== Examenreeks: geprobeerde varianten (MAPE), niveau regio")
        f = bt.fouten(vv)
        print(f[f["niveau"] == "regio"].pivot_table(index="model", columns="h", values="mape").round(4).to_string(), "\n")

    if b.soort == "leerlingen" and ds.bevolking is not None:
        zonder = pp.bereken("leerlingen", ds.leerlingen, indeling, vestigingen=ds.vestigingen)
        print("== Cohortmethode met en zonder de inwoners naar leeftijd (instroom), MAPE niveau regio")
        for naam, basis in (("met inwoners", b), ("zonder", zonder)):
            f = basis.fouten[(basis.fouten["model"] == "model") & (basis.fouten["niveau"] == "regio")]
            print(naam, f.pivot_table(index="reeks", columns="h", values="mape").round(4).to_string(), sep="\n")
        print()

    _samenvatting(b, ds, indeling, args.regios)

    vest = indeling.tabel.loc[indeling.tabel["regionummer"] == indeling.regios["regionummer"].iloc[0],
                              "vestigingscode"].tolist()
    sel = []
    for _ in range(20):
        t0 = time.perf_counter()
        pp.prognose(b, vest)
        sel.append(time.perf_counter() - t0)
    print(f"Snelheid: basis (prognose + backtest) {statistics.median(tijden):.2f} s (mediaan van {len(tijden)}); "
          f"prognose van één regio uit de basis {1000 * statistics.median(sel):.1f} ms (mediaan van 20)")


if __name__ == "__main__":
    main()
