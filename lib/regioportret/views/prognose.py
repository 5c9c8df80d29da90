"""The prognose page (prognose.ipynb) and the `prognose` command: the selection's forecast from
its bundle, and the dataset's backtest (tables, charts, JSON). The dashboard panel is
panelen.prognose."""

from __future__ import annotations

import json

import pandas as pd
from markupsafe import escape

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


KOLOMNAMEN = {"mape": "gemiddelde afwijking (%)", "mae": "gemiddelde afwijking (aantal)",
              "bias": "gemiddeld te hoog (+) of te laag (-)", "ratio_best_baseline": "verhouding tot beste basislijn",
              "n": "aantal voorspellingen"}


def backtest_overzicht(b: pp.Basis, reeks: str | None = None) -> pd.DataFrame:
    """Per level, model and horizon: the mean error in % and in students, the bias, the ratio
    to the best baseline; Dutch names (a page shows no field names)."""
    f = b.fouten[b.fouten["reeks"] == (reeks or b.hoofdreeks)].copy()
    f["model"] = f["model"].map(lambda m: pp.MODEL_NAMEN.get(m, m))
    f["mape"] = 100 * f["mape"]
    t = f.set_index(["niveau", "model", "h"])[list(KOLOMNAMEN)].rename(columns=KOLOMNAMEN)
    t.index = t.index.set_names(["niveau", "methode", "jaren vooruit"])
    return t.unstack("jaren vooruit").reindex([n for n in bt.NIVEAUS if n in set(f["niveau"])], level=0)


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
    return grafiek.reeks(r.historie, r.tot(horizon), r.label, _bron_selectie(s), p.interval)


def _bron_selectie(s: Selectie) -> str:
    p = s.prognose
    return (f"Bron: DUO, {p.omschrijving} ({len(p.bronnen)} bestand(en), tot en met {p.oorsprong}); "
            "prognose regioportret" + (" – DEMODATA, fictieve scholen" if p.demo else ""))


def prognose_tabel(s: Selectie, horizon: int) -> pd.DataFrame:
    """The forecast points of the page's series, as the bundle has them (whole students)."""
    p = s.prognose
    rijen = [{"reeks": p.reeksen[n].label, "jaar": x.jaar, "punt": x.punt, "onder": x.onder, "boven": x.boven}
             for n in p.getoond for x in p.reeksen[n].tot(horizon)]
    return pd.DataFrame(rijen).set_index(["reeks", "jaar"])


def _regio_keuze(regio) -> str | None:
    from .notebook import query_waarde

    waarde = query_waarde("regio", regio)
    return None if waarde in (None, "") else str(waarde)


def toon_prognose(data=None, regio=None, horizon: int = 5, ctx: Context | None = None) -> Context | None:
    """The whole page: method, backtest table and charts, the forecast of the selection."""
    import matplotlib.pyplot as plt
    from IPython.display import HTML, display

    from ..errors import RegioportretError
    from .notebook import foutmelding

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
    display(HTML(panelen.banner(s.demo) + panelen.stijl() + "<h3>Methode</h3>"
                 f"<div class='rp-regel'>{pp.BAND_TEKST}</div>"))
    display(HTML(panelen.render("prognose_methode.html", p=s.prognose,
                                bronnen_kort=panelen.bronnen_kort(s.prognose.bronnen))))
    display(HTML("<h3>Backtest</h3><div class='rp-regel'>Rollende oorsprong: elk jaar in de data is een keer "
                 "het laatste bekende jaar geweest. MAPE en bias per niveau, methode en horizon; "
                 "ratio_best_baseline = MAPE van de methode / laagste MAPE van de basislijnen.</div>"))
    display(backtest_overzicht(b).style.format(precision=3, thousands=".", decimal=","))
    display(fout_per_horizon_grafiek(b))
    display(voorspeld_werkelijk_grafiek(b, "regio" if "regio" in set(b.fouten["niveau"]) else "vestiging", 3))
    duo = ctx.score_duo()
    if duo is not None:
        display(HTML("<h3>DUO's eigen leerlingenprognose, gescoord met dezelfde backtest</h3>"))
        display(duo)
    titel = "alle vestigingen in de data" if s.landelijk else s.titel
    display(HTML(panelen.stijl() + f"<h3>Prognose: {escape(titel)}</h3>"
                 f"<div class='rp-regel'>Som van {getal(s.prognose.vestigingen)} deelnemende vestigingen.</div>"))
    for r in s.prognose.getoond:
        display(prognose_grafiek(s, r, horizon))
    display(prognose_tabel(s, horizon).style.format(thousands="."))
    plt.close("all")
    return ctx


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
        "basislijnen": list(pg.BASISLIJNEN), "fouten": _rijen(b.fouten), "ratio_best_baseline": ratio,
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
    return "\n".join(regels)


def raise_geen(ctx: Context) -> None:
    from ..errors import SelectieFout

    raise SelectieFout(f"geen prognose mogelijk: de data in {ctx.ds.map} heeft geen {bt.MIN_JAREN + 1} jaar "
                       "leerlingen of examenkandidaten; haal meer jaren op met 'regioportret data fetch'")
