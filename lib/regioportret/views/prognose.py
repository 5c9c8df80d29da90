"""The forecast as a dashboard panel (HTML/SVG), notebook charts (matplotlib) and CLI output."""

from __future__ import annotations

import html
import json

import pandas as pd

from ..format import getal, procent
from ..model import backtest as bt
from ..model import prognose as pg
from ..model import prognoseportret as pp
from .portret import STIJL

KLEUR_LIJN = "#1f5fa8"
KLEUR_BAND = "#c9d9ef"
MODEL_NAMEN = {"model": "deze methode", **pg.BASISLIJN_NAMEN, "duo": "DUO-prognose"}
NIVEAU_NAMEN = {"vestiging": "vestiging", "regio": "regio", "landelijk": "landelijk", "instelling": "instelling"}
BAND_TEKST = (f"De band loopt van het {round(100 * pg.INTERVAL[0])}%- tot het {round(100 * pg.INTERVAL[1])}%-punt "
              "van de fouten van deze methode in de backtest (op hetzelfde niveau en dezelfde horizon). "
              "Ligt de lijn niet midden in de band, dan zat de methode er in het verleden vaker in één richting "
              "naast.")
PAGINA = "prognose.ipynb"


def _band_svg(p: pp.Prognose, reeks: str, horizon: int, breedte=520, hoogte=170) -> str:
    """History (solid), forecast (dashed) and band (shaded), with years and a y scale."""
    hist = p.historie[reeks].dropna()
    toek = p.reeks(reeks)
    toek = toek[toek["h"] <= horizon]
    jaren = list(hist.index) + list(toek.index)
    if len(jaren) < 2:
        return ""
    hoogste = max(hist.max(), toek["boven"].max(), 1.0) * 1.05
    links, rechts, boven, onder = 52, 12, 10, 22
    def x(j):
        return links + (breedte - links - rechts) * (j - jaren[0]) / (jaren[-1] - jaren[0])
    def y(w):
        return boven + (hoogte - boven - onder) * (1 - w / hoogste)
    band = ([(x(hist.index[-1]), y(hist.iloc[-1]))] + [(x(j), y(w)) for j, w in toek["boven"].items()]
            + [(x(j), y(w)) for j, w in toek["onder"][::-1].items()])
    delen = [f'<svg width="{breedte}" height="{hoogte}" role="img" aria-label="prognose {html.escape(reeks)}">']
    for frac in (0, 0.5, 1):
        w = hoogste / 1.05 * frac
        delen.append(f'<line x1="{links}" x2="{breedte - rechts}" y1="{y(w):.1f}" y2="{y(w):.1f}" stroke="#e3e6ea"/>'
                     f'<text x="{links - 4}" y="{y(w) + 3:.1f}" font-size="10" text-anchor="end">{getal(w)}</text>')
    delen.append(f'<polygon points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in band)}" fill="{KLEUR_BAND}"/>')
    delen.append(f'<polyline fill="none" stroke="{KLEUR_LIJN}" stroke-width="2" points="'
                 + " ".join(f"{x(j):.1f},{y(w):.1f}" for j, w in hist.items()) + '"/>')
    vooruit = [(hist.index[-1], hist.iloc[-1])] + list(toek["punt"].items())
    delen.append(f'<polyline fill="none" stroke="{KLEUR_LIJN}" stroke-width="2" stroke-dasharray="5,4" points="'
                 + " ".join(f"{x(j):.1f},{y(w):.1f}" for j, w in vooruit) + '"/>')
    stap = max(1, round(len(jaren) / 8))
    for j in jaren[::stap]:
        delen.append(f'<text x="{x(j):.1f}" y="{hoogte - 6}" font-size="10" text-anchor="middle">{j}</text>')
    delen.append("</svg>")
    return "".join(delen)


def backtest_tabel(b: pp.Basis, niveau: str, reeks: str | None = None) -> str:
    """MAPE per horizon for the method and each baseline at one level, plus the ratio."""
    f = b.fouten[(b.fouten["reeks"] == (reeks or b.hoofdreeks)) & (b.fouten["niveau"] == niveau)]
    if f.empty:
        return "<div class='rp-regel'>Geen backtest op dit niveau.</div>"
    t = f.pivot(index="model", columns="h", values="mape")
    t = t.reindex([m for m in MODEL_NAMEN if m in t.index])
    ratio = f[f["model"] == "model"].set_index("h")["ratio_best_baseline"]
    t.loc["verhouding tot beste basislijn"] = ratio
    t.index = [MODEL_NAMEN.get(m, m) for m in t.index]
    t.columns = [f"{h} jaar vooruit" for h in t.columns]
    opgemaakt = t.copy().astype(object)
    for i in t.index:
        for c in t.columns:
            w = t.at[i, c]
            opgemaakt.at[i, c] = "–" if pd.isna(w) else (f"{w:.2f}".replace(".", ",") if i.startswith("verhouding")
                                                         else procent(w))
    n = int(f["n"].max())
    return (f"<div class='rp-regel'>Gemiddelde absolute procentuele fout (MAPE) per horizon, niveau "
            f"{NIVEAU_NAMEN.get(niveau, niveau)}, {getal(n)} voorspellingen per horizon (max):</div>"
            + opgemaakt.to_html(classes="rp-tabel", escape=True))


def bronnen_kort(bronnen: list[str]) -> str:
    """'a.csv, b.csv' or 'first … last (n bestanden)': a source line must stay one line."""
    return ", ".join(bronnen) if len(bronnen) <= 2 else f"{bronnen[0]} … {bronnen[-1]} ({len(bronnen)} bestanden)"


def bron_tekst(b: pp.Basis) -> str:
    tekst = (f"Bron: DUO ({html.escape(bronnen_kort(b.bronnen))}); laatste jaar met tellingen {b.oorsprong}. "
             "Prognose en backtest: regioportret, zie docs/assumptions.md.")
    if b.bevolking:
        tekst += f" Bevolking: {html.escape(b.bevolking)}."
    if b.demo:
        tekst += " DEMODATA: fictieve scholen."
    return f'<div class="rp-bron">{tekst}</div>'


def prognose_panel(b: pp.Basis | None, p: pp.Prognose | None, horizon: int = 5, titel: str = "",
                   link: str | None = None) -> str:
    """The dashboard panel: chart(s), the forecast table, and method + backtest one click away."""
    kop = f"<h4>Prognose {html.escape(titel)}</h4>"
    if b is None or p is None:
        return (STIJL + kop + "<div class='rp-regel'>Voor een prognose zijn tellingen over minstens "
                f"{bt.MIN_JAREN + 1} jaar nodig (leerlingen per leerjaar of examenkandidaten). Deze data heeft "
                "dat niet. Haal meer jaren op met 'regioportret data fetch --jaren 2015-2024'.</div>")
    reeksen = [b.hoofdreeks] + (["techniek"] if b.soort == "leerlingen" else [])
    delen = [STIJL, kop, f"<div class='rp-regel'>{html.escape(pp.SOORTEN[b.soort].capitalize())}: "
             f"telling tot en met {b.oorsprong}, prognose {b.oorsprong + 1}–{b.oorsprong + horizon}.</div>"]
    for r in reeksen:
        delen.append(f"<div>{html.escape(pp.reeks_label(r).capitalize())}</div>" + _band_svg(p, r, horizon))
    t = p.tabel[p.tabel["reeks"].isin(reeksen) & (p.tabel["h"] <= horizon)].copy()
    t["reeks"] = t["reeks"].map(pp.reeks_label)
    t["waarde"] = t.apply(lambda r: f"{getal(r['punt'])} ({getal(r['onder'])}–{getal(r['boven'])})", axis=1)
    tabel = t.pivot(index="reeks", columns="jaar", values="waarde").reindex([pp.reeks_label(r) for r in reeksen])
    delen.append(tabel.to_html(classes="rp-tabel rp-prognose", escape=True))
    delen.append(f"<div class='rp-regel'>{BAND_TEKST}</div>")
    fout = p.fout(3)
    if fout:
        delen.append(f"<div class='rp-regel'>Fout in de backtest, 3 jaar vooruit ({p.niveau}): "
                     f"MAPE {procent(fout['mape'])}; beste basislijn ({MODEL_NAMEN[fout['beste_basislijn']]}) "
                     f"× {fout['ratio_best_baseline']:.2f}".replace(".", ",") + ".</div>")
    delen.append("<details class='rp-methode'><summary>Methode en backtest</summary>"
                 f"<div class='rp-regel'>{html.escape(b.methode)}</div>"
                 "<div class='rp-regel'>Backtest: voor elk jaar in de data is de prognose gemaakt met alleen de "
                 "jaren tot en met dat jaar, en vergeleken met wat er daarna gebeurde; de basislijnen "
                 "(laatste waarde, lineaire trend over 5 jaar, gemiddelde van 3 jaar) in dezelfde ronde.</div>"
                 + backtest_tabel(b, p.niveau)
                 + (f"<div class='rp-regel'><a href='{html.escape(link)}' target='_blank'>Volledige backtest, "
                    "grafieken en methode</a></div>" if link else "") + "</details>")
    delen.append(bron_tekst(b))
    return "".join(delen)


# -- notebook charts ------------------------------------------------------------------------
def _bron_fig(fig, b: pp.Basis) -> None:
    tekst = (f"Bron: DUO, {pp.SOORTEN[b.soort]} ({len(b.bronnen)} bestand(en), tot en met {b.oorsprong}); "
             "backtest regioportret" + (" – DEMODATA, fictieve scholen" if b.demo else ""))
    fig.text(0.01, 0.01, tekst, fontsize=7, color="#555")


def fout_per_horizon_grafiek(b: pp.Basis, reeks: str | None = None):
    """MAPE by horizon for the method and the baselines, one panel per level."""
    import matplotlib.pyplot as plt

    f = b.fouten[b.fouten["reeks"] == (reeks or b.hoofdreeks)]
    niveaus = [n for n in bt.NIVEAUS if n in set(f["niveau"])]
    fig, assen = plt.subplots(1, len(niveaus), figsize=(4 * len(niveaus), 3.2), squeeze=False)
    for ax, niveau in zip(assen[0], niveaus, strict=True):
        for model, g in f[f["niveau"] == niveau].groupby("model"):
            ax.plot(g["h"], 100 * g["mape"], marker="o", label=MODEL_NAMEN.get(model, model),
                    color=KLEUR_LIJN if model == "model" else None, linewidth=2.5 if model == "model" else 1)
        ax.set_title(f"niveau: {niveau}")
        ax.set_xlabel("jaren vooruit")
        ax.set_ylabel("MAPE (%)")
        ax.set_xticks(sorted(f["h"].unique()))
    assen[0][0].legend(fontsize=8)
    _bron_fig(fig, b)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def voorspeld_werkelijk_grafiek(b: pp.Basis, niveau: str = "regio", h: int = 3, reeks: str | None = None):
    """Forecast against what happened, per unit and origin, at one level and horizon."""
    import matplotlib.pyplot as plt

    v = b.voorspellingen
    d = v[(v["reeks"] == (reeks or b.hoofdreeks)) & (v["niveau"] == niveau) & (v["h"] == h) & (v["model"] == "model")]
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    ax.scatter(d["werkelijk"], d["voorspeld"], s=12, alpha=0.6, color=KLEUR_LIJN)
    hoogste = max(d["werkelijk"].max(), d["voorspeld"].max(), 1) if len(d) else 1
    ax.plot([0, hoogste], [0, hoogste], color="#888", linewidth=1)
    ax.set_xlabel("werkelijk")
    ax.set_ylabel("voorspeld")
    ax.xaxis.set_major_formatter(lambda x, _: getal(x))
    ax.yaxis.set_major_formatter(lambda x, _: getal(x))
    ax.set_title(f"{niveau}, {h} jaar vooruit")
    _bron_fig(fig, b)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def prognose_grafiek(p: pp.Prognose, reeks: str | None = None, horizon: int = 5):
    """History, forecast and band of a selection: the dashboard chart in matplotlib."""
    import matplotlib.pyplot as plt

    r = reeks or p.basis.hoofdreeks
    hist = p.historie[r].dropna()
    t = p.reeks(r)
    t = t[t["h"] <= horizon]
    fig, ax = plt.subplots(figsize=(7, 3.4))
    ax.fill_between([hist.index[-1], *t.index], [hist.iloc[-1], *t["onder"]], [hist.iloc[-1], *t["boven"]],
                    color=KLEUR_BAND, label=f"band {round(100 * pg.INTERVAL[0])}–{round(100 * pg.INTERVAL[1])}%")
    ax.plot(hist.index, hist.to_numpy(), color=KLEUR_LIJN, linewidth=2, label="telling")
    ax.plot([hist.index[-1], *t.index], [hist.iloc[-1], *t["punt"]], color=KLEUR_LIJN, linewidth=2,
            linestyle="--", label="prognose")
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(lambda x, _: getal(x))
    ax.set_title(pp.reeks_label(r))
    ax.legend(fontsize=8)
    _bron_fig(fig, p.basis)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


# -- the notebook page (prognose.ipynb) -----------------------------------------------------
def backtest_overzicht(b: pp.Basis, reeks: str | None = None) -> pd.DataFrame:
    """MAPE, MAE and bias per level, model and horizon, with the ratio to the best baseline."""
    f = b.fouten[b.fouten["reeks"] == (reeks or b.hoofdreeks)].copy()
    f["model"] = f["model"].map(lambda m: MODEL_NAMEN.get(m, m))
    t = f.set_index(["niveau", "model", "h"])[["mape", "mae", "bias", "ratio_best_baseline", "n"]]
    return t.unstack("h").reindex([n for n in bt.NIVEAUS if n in set(f["niveau"])], level=0)


def selectie(b: pp.Basis, indeling, regio=None) -> tuple[pp.Prognose, str]:
    """The forecast of `regio` (parameter, or ?regio= under Voilà; None: the country)."""
    from urllib.parse import parse_qs

    from ..model import kies_regios
    from .notebook import query_string

    waarde = parse_qs(query_string()).get("regio", [None])[0] or regio
    nummers = kies_regios(indeling, None if waarde in (None, "") else str(waarde))
    vest = (indeling.tabel.loc[indeling.tabel["regionummer"].isin(nummers), "vestigingscode"].tolist()
            if nummers else None)
    titel = ", ".join(f"regio {n} {indeling.naam(n)}" for n in nummers) or "alle vestigingen in de data"
    return pp.prognose(b, vest), titel


def prognose_tabel(p: pp.Prognose, horizon: int = 5) -> pd.DataFrame:
    t = p.tabel[p.tabel["h"] <= horizon].copy()
    t["reeks"] = t["reeks"].map(pp.reeks_label)
    return t.set_index(["reeks", "jaar"])[["punt", "onder", "boven"]].round(0).astype("int64")


def toon_prognose(data=None, regio=None, horizon: int = 5) -> None:
    """The whole page: method, backtest table and charts, the forecast of the selection."""
    import matplotlib.pyplot as plt
    from IPython.display import HTML, display

    from .. import store
    from ..model import actieve_indeling
    from .notebook import foutmelding

    try:
        horizon = pp.controleer_horizon(horizon)
        ds = store.laad(data)
        indeling = actieve_indeling(ds)
        b = pp.basis(ds, indeling, details=True)
        if b is None:
            display(HTML(prognose_panel(None, None)))
            return
        p, titel = selectie(b, indeling, regio)
    except Exception as e:  # noqa: BLE001 - a page shows a Dutch message, never a traceback
        from ..errors import RegioportretError

        display(HTML(foutmelding(e if isinstance(e, RegioportretError) else RegioportretError(
            f"De prognose kon niet worden gemaakt ({type(e).__name__})."))))
        return
    display(HTML(STIJL + f"<h3>Methode</h3><div class='rp-regel'>{html.escape(b.methode)}</div>"
                 f"<div class='rp-regel'>{BAND_TEKST}</div>" + bron_tekst(b)))
    display(HTML("<h3>Backtest</h3><div class='rp-regel'>Rollende oorsprong: elk jaar in de data is een keer "
                 "het laatste bekende jaar geweest. MAPE en bias per niveau, methode en horizon; "
                 "ratio_best_baseline = MAPE van de methode / laagste MAPE van de basislijnen.</div>"))
    display(backtest_overzicht(b).style.format(precision=3, thousands=".", decimal=","))
    display(fout_per_horizon_grafiek(b))
    display(voorspeld_werkelijk_grafiek(b, "regio" if "regio" in set(b.fouten["niveau"]) else "vestiging", 3))
    duo = pp.score_duo(ds)
    if duo is not None:
        display(HTML("<h3>DUO's eigen leerlingenprognose, gescoord met dezelfde backtest</h3>"))
        display(duo)
    display(HTML(f"<h3>Prognose: {html.escape(titel)}</h3>"))
    for r in [b.hoofdreeks] + (["techniek"] if b.soort == "leerlingen" else []):
        display(prognose_grafiek(p, r, horizon))
    display(prognose_tabel(p, horizon).style.format(thousands="."))
    plt.close("all")


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
    dekking = bt.dekking(b.voorspellingen, b.factoren)
    return {
        "soort": b.soort, "methode": b.methode, "oorsprong": b.oorsprong, "interval": list(pg.INTERVAL),
        "basislijnen": list(pg.BASISLIJNEN), "fouten": _rijen(b.fouten), "ratio_best_baseline": ratio,
        "dekking_in_steekproef": _rijen(dekking), "duo": _rijen(duo) if duo is not None else None,
        "bronnen": b.bronnen, "demo": b.demo,
    }


def prognose_uitvoer(data, indeling_pad, regio, horizon: int, backtest: bool, oorsprong: int | None,
                     als_json: bool) -> str:
    from .. import store
    from ..model import actieve_indeling, kies_regios

    horizon = pp.controleer_horizon(horizon)
    ds = store.laad(data, voortgang=not als_json)
    indeling = actieve_indeling(ds, indeling_pad)
    b = pp.basis(ds, indeling, details=backtest)
    if b is None:
        raise_geen(ds)
    if backtest:
        d = backtest_dict(b, pp.score_duo(ds, oorsprong))
        if als_json:
            return json.dumps(d, ensure_ascii=False, indent=1)
        f = b.fouten
        return (f"Backtest {pp.SOORTEN[b.soort]} (oorsprongen tot en met {b.oorsprong - 1})\n"
                + f.to_string(index=False, float_format=lambda x: f"{x:.4f}"))
    nummers = kies_regios(indeling, regio)
    vest = (indeling.tabel.loc[indeling.tabel["regionummer"].isin(nummers), "vestigingscode"].tolist()
            if nummers else None)
    p = pp.prognose(b, vest)
    d = {"regios": [{"regionummer": int(n), "regionaam": indeling.naam(n)} for n in nummers],
         "indeling": indeling.als_dict(), "horizon": horizon, **p.als_dict(horizon)}
    if als_json:
        return json.dumps(d, ensure_ascii=False, indent=1)
    wie = ", ".join(f"regio {r['regionummer']} {r['regionaam']}" for r in d["regios"]) or "het hele land"
    regels = [f"Prognose {d['omschrijving']} voor {wie}", d["methode"]]
    for naam, r in d["reeksen"].items():
        if naam in pp.DOELEN[b.soort]:
            regels.append(f"{r['label']}: " + "; ".join(f"{x['jaar']} {getal(x['punt'])} ({getal(x['onder'])}–"
                                                       f"{getal(x['boven'])})" for x in r["prognose"]))
    return "\n".join(regels)


def raise_geen(ds) -> None:
    from ..errors import SelectieFout

    raise SelectieFout(f"geen prognose mogelijk: de data in {ds.map} heeft geen {bt.MIN_JAREN + 1} jaar "
                       "leerlingen of examenkandidaten; haal meer jaren op met 'regioportret data fetch'")
