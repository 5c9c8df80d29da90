"""Every chart, in one place: small SVGs for the pages (no plotting library on a tick) and
matplotlib figures for the PDF and the notebooks. They draw figures from the bundle; they
never compute one. Each has its values on the axis and a legend where it has two lines."""

from __future__ import annotations

import io

from .. import rules
from ..format import getal
from . import palet


# -- SVG (pages) -------------------------------------------------------------------------------
def reeks_svg(historie: dict[int, float], prognose=(), label: str = "", breedte: int = 520,
              hoogte: int = 170, band_woord: str = "band") -> str:
    """A series over the years with y values on the axis and a legend; with `prognose`
    (model.selectie.Punt) a dashed forecast and its shaded band (`band_woord` in the legend:
    'bereik' for a range from the inputs)."""
    hist = sorted(historie.items())
    toek = sorted(prognose, key=lambda p: p.jaar)
    jaren = [j for j, _ in hist] + [p.jaar for p in toek]
    if len(jaren) < 2:
        return ""
    hoogste = max([w for _, w in hist] + [p.boven if p.boven is not None else p.punt for p in toek] + [1]) * 1.05
    links, rechts, boven, onder = 52, 12, 18, 22

    def x(j):
        return links + (breedte - links - rechts) * (j - jaren[0]) / (jaren[-1] - jaren[0])

    def y(w):
        return boven + (hoogte - boven - onder) * (1 - w / hoogste)

    def punten(rij) -> str:
        return " ".join(f"{x(j):.1f},{y(w):.1f}" for j, w in rij)

    met_band = bool(toek) and all(p.onder is not None and p.boven is not None for p in toek)
    band = ""
    if met_band and hist:
        j0, w0 = hist[-1]
        band = " ".join(f"{a:.1f},{b:.1f}" for a, b in [(x(j0), y(w0))] + [(x(p.jaar), y(p.boven)) for p in toek]
                        + [(x(p.jaar), y(p.onder)) for p in toek[::-1]])
    stap = max(1, round(len(jaren) / 8))
    from .sjabloon import render

    return render("reeks.svg.html", breedte=breedte, hoogte=hoogte, label=label, links=links, rechts=rechts,
                  raster=[{"y": y(hoogste / 1.05 * f), "w": hoogste / 1.05 * f} for f in (0, 0.5, 1)],
                  band=band, band_woord=band_woord, lijn=punten(hist) if hist else "",
                  vooruit=punten([hist[-1]] + [(p.jaar, p.punt) for p in toek]) if toek and hist else "",
                  jaren=[(j, x(j)) for j in jaren[::stap]]).strip()


# -- matplotlib (PDF, notebooks) -----------------------------------------------------------------
def png(fig, dpi: int = 150) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _bron(fig, tekst: str) -> None:
    fig.text(0.01, 0.01, tekst, fontsize=7, color=palet.BRON)


def profielen(profielen: dict[str, int], bron: str | None = None):
    """Bars per profiel, the five technical ones in blue, each with its count."""
    import matplotlib.pyplot as plt

    codes = list(profielen)[::-1]
    fig, ax = plt.subplots(figsize=(6.4, 2.9))
    ax.barh([rules.PROFIEL_AFKORTING[c] for c in codes], [profielen[c] for c in codes],
            color=[palet.TECHNIEK if c in rules.TECHNISCHE_PROFIELEN else palet.OVERIG for c in codes])
    for i, c in enumerate(codes):
        ax.text(profielen[c], i, " " + getal(profielen[c]), va="center", fontsize=7)
    ax.xaxis.set_major_formatter(lambda v, _: getal(v))
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title("Leerlingen leerjaar 3-4 per profiel (blauw: technisch)", fontsize=9)
    if bron:
        _bron(fig, bron)
        fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def reeks(historie: dict[int, float], prognose=(), titel: str = "", bron: str | None = None,
          interval: tuple[float, float] = (0.1, 0.9), band_woord: str = "band"):
    """A series over the years; with `prognose` (model.selectie.Punt) the forecast and its band
    (or, `band_woord` 'bereik', its range from the inputs)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.0))
    jaren, waarden = list(historie), list(historie.values())
    if prognose and jaren:
        toek = sorted(prognose, key=lambda p: p.jaar)
        if all(p.onder is not None for p in toek):
            ax.fill_between([jaren[-1], *[p.jaar for p in toek]], [waarden[-1], *[p.onder for p in toek]],
                            [waarden[-1], *[p.boven for p in toek]], color=palet.BAND,
                            label=f"{band_woord} {round(100 * interval[0])}–{round(100 * interval[1])}%")
        ax.plot([jaren[-1], *[p.jaar for p in toek]], [waarden[-1], *[p.punt for p in toek]], color=palet.TECHNIEK,
                linewidth=2, linestyle="--", label="prognose")
    ax.plot(jaren, waarden, color=palet.TECHNIEK, linewidth=2, marker="o", markersize=3, label="telling")
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(lambda v, _: getal(v))
    ax.tick_params(labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(titel, fontsize=9)
    ax.legend(fontsize=7)
    if bron:
        _bron(fig, bron)
        fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def fout_per_horizon(fouten, reeks_naam: str, niveaus: list[str], modelnamen: dict[str, str], bron: str):
    """MAPE by horizon for the method and the baselines, one panel per backtest level."""
    import matplotlib.pyplot as plt

    f = fouten[fouten["reeks"] == reeks_naam]
    fig, assen = plt.subplots(1, len(niveaus), figsize=(4 * len(niveaus), 3.2), squeeze=False)
    for ax, niveau in zip(assen[0], niveaus, strict=True):
        for model, g in f[f["niveau"] == niveau].groupby("model"):
            ax.plot(g["h"], 100 * g["mape"], marker="o", label=modelnamen.get(model, model),
                    color=palet.TECHNIEK if model == "model" else None, linewidth=2.5 if model == "model" else 1)
        ax.set_title(f"niveau: {niveau}")
        ax.set_xlabel("jaren vooruit")
        ax.set_ylabel("MAPE (%)")
        ax.set_xticks(sorted(f["h"].unique()))
    assen[0][0].legend(fontsize=8)
    _bron(fig, bron)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def voorspeld_werkelijk(v, titel: str, bron: str):
    """Forecast against what happened (rows of the backtest's long table)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    ax.scatter(v["werkelijk"], v["voorspeld"], s=12, alpha=0.6, color=palet.TECHNIEK)
    hoogste = max(v["werkelijk"].max(), v["voorspeld"].max(), 1) if len(v) else 1
    ax.plot([0, hoogste], [0, hoogste], color=palet.LIJN_NEUTRAAL, linewidth=1, label="voorspeld = werkelijk")
    ax.set_xlabel("werkelijk")
    ax.set_ylabel("voorspeld")
    ax.xaxis.set_major_formatter(lambda x, _: getal(x))
    ax.yaxis.set_major_formatter(lambda x, _: getal(x))
    ax.legend(fontsize=8)
    ax.set_title(titel)
    _bron(fig, bron)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


def _regionummers(fig, ax, lagen, nummers: set[int]) -> list:
    """The region numbers by the dashboard's rule (model.gebieden.zonder_overlap: largest region
    first, none covering another), measured as drawn; returns the labels kept."""
    from ..model.gebieden import zonder_overlap

    ax.apply_aspect()
    renderer = fig.canvas.get_renderer()
    per_nummer = {int(lab["regionummer"]): lab for lab in lagen.labels if not nummers or lab["regionummer"] in nummers}
    volgorde = [nr for nr in (lagen.label_volgorde or sorted(per_nummer)) if nr in per_nummer]
    getekend = {}

    def doos(nr):
        lab = per_nummer[nr]
        a = ax.annotate(str(nr), (lab["lon"], lab["lat"]), ha="center", va="center", fontsize=8,
                        fontweight="bold", color=palet.TEKST, annotation_clip=True,
                        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": palet.REGIO_RAND, "lw": 0.6,
                              "alpha": 0.85})
        getekend[nr] = a
        b = a.get_window_extent(renderer)
        return (b.x0, b.y0, b.x1, b.y1)

    behouden = set(zonder_overlap(volgorde, doos))
    for nr, a in getekend.items():
        if nr not in behouden:
            a.remove()
    return [getekend[nr] for nr in volgorde if nr in behouden]


def kaart(lagen, scholen, regios: list[int], codes: list[str] | None):
    """Static map: the selected regions (all when none), gemeente outlines, their vestigingen."""
    import geopandas as gpd
    import matplotlib.pyplot as plt

    nummers = set(regios)
    fig, ax = plt.subplots(figsize=(6.6, 4.6))
    gebieden = gpd.GeoDataFrame.from_features(lagen.regios["features"], crs="EPSG:4326")
    gekozen = gebieden[gebieden["regionummer"].isin(nummers)] if nummers else gebieden
    grenzen = [lagen.grenzen[x] for x in nummers if x in lagen.grenzen]
    if codes is not None and not grenzen:  # a composed region: the extent of its schools
        v = scholen[scholen["vestigingscode"].isin(codes)]
        if len(v):
            grenzen = [[[v["lat"].min(), v["lon"].min()], [v["lat"].max(), v["lon"].max()]]]
    (s, w), (n, e) = lagen.totaal if not grenzen else (
        [min(g[0][0] for g in grenzen), min(g[0][1] for g in grenzen)],
        [max(g[1][0] for g in grenzen), max(g[1][1] for g in grenzen)])
    marge = max(n - s, e - w) * 0.08 + 0.02
    if lagen.gemeenten:
        gem = gpd.GeoDataFrame.from_features(lagen.gemeenten["features"], crs="EPSG:4326")
        gem.cx[w - marge:e + marge, s - marge:n + marge].boundary.plot(ax=ax, color=palet.STATISCH_GEMEENTE, linewidth=0.4)
    gebieden.boundary.plot(ax=ax, color=palet.STATISCH_REGIO, linewidth=0.5)
    if codes is None or nummers:
        gekozen.plot(ax=ax, color=palet.STATISCH_GEKOZEN, alpha=0.12, edgecolor=palet.REGIO_RAND, linewidth=1.2)
    v = scholen if codes is None else scholen[scholen["vestigingscode"].isin(codes)]
    ax.scatter(v["lon"], v["lat"], s=[22 if t else 10 for t in v["techniek"]],
               c=[palet.KAART_TECHNIEK if t else palet.KAART_OVERIG for t in v["techniek"]],
               edgecolors="white", linewidths=0.5, zorder=3)
    ax.set_xlim(w - marge, e + marge)
    ax.set_ylim(s - marge, n + marge)
    ax.set_aspect(1 / 0.62)  # ~cos(52°): degrees of longitude are shorter than of latitude here
    ax.axis("off")
    _regionummers(fig, ax, lagen, nummers)
    ax.set_title("Regio('s) en vestigingen (oranje: met technisch profiel). Kaart: CBS/PDOK (CC BY 4.0)",
                 fontsize=8)
    return fig
