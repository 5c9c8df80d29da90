"""The prognose page (prognose.ipynb) and the `prognose` command: the selection's forecast from
its bundle, and the dataset's backtest (tables, charts, JSON). The dashboard panel is
panelen.prognose."""

from __future__ import annotations

import json

import pandas as pd

from ..context import Context, open_context
from ..format import getal, prognosepunt
from ..model import backtest as bt
from ..model import prognose as pg
from ..model import prognoseportret as pp
from ..model.selectie import Selectie
from . import grafiek, panelen

PAGINA = "prognose.ipynb"


def _bron(b: pp.Basis) -> str:
    return (f"Bron: DUO, {pp.SOORTEN[b.soort]} ({len(b.bronnen)} bestand(en), tot en met {b.oorsprong}); "
            "backtest regioportret" + (" – DEMODATA, fictieve scholen" if b.demo else ""))


def backtest_tabellen(fouten: pd.DataFrame, soort: str, methode: str = "model") -> list[dict]:
    """Per series and level: MAPE per method (the method first, then each baseline) and horizon,
    the ratio to the best baseline, which baseline that is, the bias and the count; in Dutch,
    ready for the template (a missing value is None, printed as a dash)."""
    uit = []
    for reeks in [r for r in pp.DOELEN[soort] if r in set(fouten["reeks"])]:
        for niveau in [n for n in (*bt.NIVEAUS, "instelling") if n in set(fouten["niveau"])]:
            f = fouten[(fouten["reeks"] == reeks) & (fouten["niveau"] == niveau)]
            if f.empty:
                continue
            horizons = sorted(int(h) for h in f["h"].unique())
            t = f.pivot(index="model", columns="h", values="mape").reindex(columns=horizons)
            modellen = [m for m in (methode, *pg.BASISLIJN_NAMEN) if m in t.index]
            eigen = f[f["model"] == methode].set_index("h").reindex(horizons)
            beste = [pp.MODEL_NAMEN.get(m) if isinstance(m, str) else None for m in eigen["beste_basislijn"]]
            uit.append({"reeks": reeks, "label": pp.reeks_label(reeks, soort), "niveau": niveau, "horizons": horizons,
                        "mape": [(pp.MODEL_NAMEN[m], [_getal(w) for w in t.loc[m]]) for m in modellen],
                        "ratio": [_getal(w) for w in eigen.get("ratio_best_baseline", pd.Series(index=horizons))],
                        "beste": beste, "bias": [_getal(w) for w in eigen["bias"]],
                        "n": [_getal(w) for w in eigen["n"]]})
    return uit


def _getal(w):
    return None if w is None or pd.isna(w) else float(w)


def backtest_html(b: pp.Basis, duo: pd.DataFrame | None = None) -> str:
    """The prognose page's backtest section: every table in Dutch, numbers formatted like the
    rest of the portrait, no field names."""
    dekking = [] if b.dekking is None else [
        {"label": pp.reeks_label(r.reeks, b.soort), "niveau": r.niveau, "h": int(r.h), "dekking": r.dekking, "n": r.n}
        for r in b.dekking.itertuples()]
    duo_tabellen = []
    if duo is not None:
        for bron, d in duo.groupby("bron"):
            for t in backtest_tabellen(d.assign(reeks=pp.HOOFDREEKS[b.soort]), b.soort, methode="duo"):
                duo_tabellen.append({**t, "label": str(bron)})
    return panelen.render("prognose_backtest.html", tabellen=backtest_tabellen(b.fouten, b.soort), dekking=dekking,
                          bedoeld=pg.INTERVAL[1] - pg.INTERVAL[0], duo=duo_tabellen, bron=_bron(b))


def fout_per_horizon_grafiek(b: pp.Basis, reeks: str | None = None):
    niveaus = [n for n in bt.NIVEAUS if n in set(b.fouten["niveau"])]
    return grafiek.fout_per_horizon(b.fouten, reeks or b.hoofdreeks, niveaus, pp.MODEL_NAMEN, _bron(b))


def voorspeld_werkelijk_grafiek(b: pp.Basis, niveau: str = "regio", h: int = 3, reeks: str | None = None):
    v = b.voorspellingen
    d = v[(v["reeks"] == (reeks or b.hoofdreeks)) & (v["niveau"] == niveau) & (v["h"] == h) & (v["model"] == "model")]
    return grafiek.voorspeld_werkelijk(d, f"{niveau}, {h} jaar vooruit", _bron(b))


def prognose_grafiek(s: Selectie, reeks: str, horizon: int):
    p = s.prognose
    r = p.reeksen[reeks]
    return grafiek.reeks(r.historie, r.tot(horizon), r.label, _bron_selectie(s), p.interval, r.band_woord)


def _bron_selectie(s: Selectie) -> str:
    p = s.prognose
    return (f"Bron: DUO, {p.omschrijving} ({len(p.bronnen)} bestand(en), tot en met {p.oorsprong}); "
            "prognose regioportret" + (" – DEMODATA, fictieve scholen" if p.demo else ""))


def _regio_keuze(regio) -> str | None:
    from .notebook import query_waarde

    waarde = query_waarde("regio", regio)
    return None if waarde in (None, "") else str(waarde)


def toon_prognose(data=None, regio=None, horizon: int = 5, ctx: Context | None = None) -> Context | None:
    """The whole page: method, backtest table and charts, the forecast of the selection."""
    import matplotlib.pyplot as plt
    from IPython.display import HTML, display

    from ..errors import RegioportretError
    from .notebook import begin_pagina, foutmelding

    begin_pagina()
    try:
        horizon = pp.controleer_horizon(horizon)
        ctx = ctx or open_context(data)
        s = ctx.selectie(ctx.regios(_regio_keuze(regio)))
        b = ctx.prognose_details
    except Exception as e:  # noqa: BLE001 - a page shows a Dutch message, never a traceback
        display(HTML(foutmelding(e if isinstance(e, RegioportretError) else RegioportretError(
            f"De prognose kon niet worden gemaakt ({type(e).__name__})."))))
        return None
    if b is None or s.prognose is None:
        display(HTML(panelen.prognose(s)))
        return ctx
    titel = "alle vestigingen in de data" if s.landelijk else s.titel
    # the notebook's own title is the page's h1; the selection is its h2, as on the dashboard
    display(HTML(panelen.banner(s.demo) + panelen.stijl() + panelen.render("kop.html", kop=titel) + panelen.prognose(s)))
    display(HTML(backtest_html(b, ctx.score_duo())))
    for reeks in [r for r in pp.DOELEN[b.soort] if r in set(b.fouten["reeks"])]:
        _toon_figuur(fout_per_horizon_grafiek(b, reeks), f"Grafiek: fout van de prognose per horizon ({reeks})")
    niveau = "regio" if "regio" in set(b.fouten["niveau"]) else "vestiging"
    _toon_figuur(voorspeld_werkelijk_grafiek(b, niveau, 3),
                 f"Grafiek: voorspeld tegen werkelijk aantal per {niveau}, 3 jaar vooruit")
    for r in s.prognose.getoond:
        _toon_figuur(prognose_grafiek(s, r, horizon), f"Grafiek: {s.prognose.reeksen[r].label}, telling en prognose "
                     "met band")
    plt.close("all")
    return ctx


def _toon_figuur(fig, alt: str) -> None:
    """A chart as an image with a Dutch text alternative (a figure shown as is has none)."""
    import base64

    from IPython.display import HTML, display

    display(HTML(panelen.render("figuur.html", png=base64.b64encode(grafiek.png(fig, dpi=100)).decode(), alt=alt)))


# -- command line ---------------------------------------------------------------------------
def _rijen(t: pd.DataFrame) -> list[dict]:
    uit = []
    for r in t.to_dict("records"):
        uit.append({k: (None if isinstance(v, float) and pd.isna(v) else
                        round(v, 6) if isinstance(v, float) else int(v) if hasattr(v, "item") and
                        not isinstance(v, str) else v) for k, v in r.items()})
    return uit


def backtest_dict(b: pp.Basis, duo: pd.DataFrame | None = None) -> dict:
    ratio = {r: {niveau: {int(h): round(float(w), 4) for h, w in rij.dropna().items()}
                 for niveau, rij in bt.ratio_tabel(b.fouten, r).iterrows()}
             for r in pp.DOELEN[b.soort]}
    return {
        "soort": b.soort, "methode": b.methode, "getoond": b.getoond, "oorsprong": b.oorsprong,
        "backtest_oorsprongen": b.backtest_oorsprongen, "interval": list(pg.INTERVAL),
        "basislijnen": [m for m in pg.BASISLIJN_NAMEN if m in set(b.fouten["model"])], "fouten": _rijen(b.fouten),
        "ratio_best_baseline": ratio,
        "dekking_buiten_steekproef": _rijen(b.dekking) if b.dekking is not None else [],
        "min_fouten_voor_band": bt.MIN_FOUTEN, "duo": _rijen(duo) if duo is not None else None,
        "bronnen": b.bronnen, "demo": b.demo,
    }


def prognose_uitvoer(ctx: Context, regio, horizon: int, backtest: bool, oorsprong: int | None,
                     als_json: bool) -> str:
    """`regioportret prognose`: the selection's forecast from its bundle, or the backtest table."""
    horizon = pp.controleer_horizon(horizon)
    if backtest:
        b = ctx.prognose_details
        if b is None:
            raise_geen(ctx)
        d = backtest_dict(b, ctx.score_duo(oorsprong))
        if als_json:
            return json.dumps(d, ensure_ascii=False, indent=1)
        return (f"Backtest {pp.SOORTEN[b.soort]} (oorsprongen tot en met {b.oorsprong - 1})\n"
                + b.fouten.to_string(index=False, float_format=lambda x: f"{x:.4f}"))
    s = ctx.selectie(ctx.regios(regio))
    if s.prognose is None:
        raise_geen(ctx)
    d = {"regios": [dict(r) for r in s.regios], "indeling": s.indeling, "horizon": horizon,
         "vestigingen_lijst": s.codes, **s.prognose.als_dict(horizon)}
    if als_json:
        return json.dumps(d, ensure_ascii=False, indent=1)
    wie = ", ".join(f"regio {r['regionummer']} {r['regionaam']}" for r in d["regios"]) or "het hele land"
    regels = [f"Prognose {d['omschrijving']} voor {wie} ({getal(s.prognose.vestigingen)} vestigingen)", d["methode"]]
    for naam in s.prognose.getoond:
        r = s.prognose.reeksen[naam]
        regels.append(f"{r.label}: " + "; ".join(f"{x.jaar} {prognosepunt(x.punt, x.onder, x.boven)}"
                                                 for x in r.tot(horizon)))
    for naam, r in s.prognose.leerlingen.items():
        regels.append(f"{r.label}: " + "; ".join(
            [f"{t0} {getal(n0)} (telling)" for t0, n0 in r.historie.items()]
            + [f"{x.jaar} {prognosepunt(x.punt, x.onder, x.boven)}" for x in s.prognose.leerlingen_tot(naam, horizon)]))
    if s.prognose.leerlingen_methode:
        regels.append(s.prognose.leerlingen_methode)
    return "\n".join(regels)


def raise_geen(ctx: Context) -> None:
    from ..errors import SelectieFout

    raise SelectieFout(f"geen prognose mogelijk: de data in {ctx.ds.map} heeft geen {bt.MIN_JAREN + 1} jaar "
                       "leerlingen of examenkandidaten; haal meer jaren op met 'regioportret data fetch'")
