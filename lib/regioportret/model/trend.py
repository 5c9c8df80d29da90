"""Series over the years in the data: the trend panels and the forecast build on these."""

from __future__ import annotations

import pandas as pd

from . import onderdrukking

ONBEKEND = "onbekend"
# A school year in which more than this share of the candidates has no sector (DUO could not
# place the new profielen in a sector until 2018-2019) is not comparable with later years.
BREUK_AANDEEL = 0.05


def examenkandidaten_per_sector(examens: pd.DataFrame, vestigingen: list[str] | None = None) -> pd.DataFrame:
    """vmbo exam candidates per school year (rows) and sector (columns, 'onbekend' included,
    so `totaal` is every candidate of the year); known counts only.

    The column `onderdrukt` counts the suppressed cells left out of each year's sums.
    """
    e = examens[examens["onderwijstype"].str.upper().str.startswith("VMBO")]
    if vestigingen is not None:
        e = e[e["vestigingscode"].isin(vestigingen)]
    e = e.assign(sector=e["sector"].fillna(ONBEKEND))
    t = e.pivot_table(index="schooljaar", columns="sector", values="kandidaten", aggfunc="sum", fill_value=0)
    t = t.astype("int64")
    t["totaal"] = t.sum(axis=1)
    t["onderdrukt"] = e.groupby("schooljaar")["kandidaten_onderdrukt"].sum().reindex(t.index, fill_value=0)
    t.columns.name = None
    return t


def vergelijkbaar_vanaf(t: pd.DataFrame) -> str | None:
    """The first school year from which every year's sector split is complete (at most
    BREUK_AANDEEL of the candidates in 'onbekend'); None when no year is. Changes per sector
    are only computed from this year on."""
    if t is None or t.empty:
        return None
    onbekend = t[ONBEKEND] if ONBEKEND in t else pd.Series(0, index=t.index)
    goed = (onbekend <= BREUK_AANDEEL * t["totaal"].where(t["totaal"] > 0)).fillna(True)
    slecht = [j for j, ok in goed.items() if not ok]
    later = [j for j in t.index if not slecht or j > slecht[-1]]
    return later[0] if later else None


def trend_basis(leerlingen: pd.DataFrame, technisch: tuple[str, ...]) -> pd.DataFrame:
    """Per year x vestiging: leerjaar 3-4 students per leerweg, technical students and the
    number of suppressed cells. Small; each selection's trend is a filter plus a sum."""
    d = leerlingen[leerlingen["leerweg"].notna() & leerlingen["leerjaar"].isin([3, 4])]
    per_lw = d.pivot_table(index=["jaar", "vestigingscode"], columns="leerweg", values="aantal",
                           aggfunc="sum", fill_value=0)
    t = d[d["profiel"].isin(technisch)].groupby(["jaar", "vestigingscode"])
    uit = per_lw.assign(techniek=t["aantal"].sum().reindex(per_lw.index, fill_value=0),
                        onderdrukt=d.groupby(["jaar", "vestigingscode"])["onderdrukt"].sum(),
                        techniek_onderdrukt=t["onderdrukt"].sum().reindex(per_lw.index, fill_value=0))
    uit.columns.name = None
    return uit.fillna(0).astype("int64").reset_index()


def leerlingen_trend(basis: pd.DataFrame, vestigingen: list[str] | None = None,
                     leerwegen: tuple[str, ...] = ("BB", "KB", "GL", "TL")) -> pd.DataFrame:
    """Leerjaar 3-4 students per teldatum year: per leerweg, total, technical, share, suppressed."""
    d = basis if vestigingen is None else basis[basis["vestigingscode"].isin(vestigingen)]
    t = d.groupby("jaar")[[lw for lw in leerwegen if lw in d] + ["techniek", "onderdrukt"]].sum()
    t = t.reindex(columns=[*leerwegen, "techniek", "onderdrukt"], fill_value=0)
    t["totaal"] = t[list(leerwegen)].sum(axis=1)
    t["techniekaandeel"] = (t["techniek"] / t["totaal"]).where(t["totaal"] > 0)
    return t


def techniek_per_jaar(basis: pd.DataFrame | None, examens: pd.DataFrame | None) -> tuple[pd.DataFrame | None, str]:
    """The technical series a change over the years is computed on: (jaar, vestigingscode,
    bekend, onderdrukt) and its label. Students in the technical profielen where the data has
    several student years; else vmbo exam candidates of sector techniek from the data break on
    (no change across it); None when neither covers two years."""
    if basis is not None and basis["jaar"].nunique() > 1:
        d = basis[["jaar", "vestigingscode", "techniek", "techniek_onderdrukt"]]
        return (d.rename(columns={"techniek": "bekend", "techniek_onderdrukt": "onderdrukt"}),
                "leerlingen in technische profielen (leerjaar 3-4)")
    if examens is not None and len(examens):
        e = examens[examens["onderwijstype"].str.upper().str.startswith("VMBO")]
        vanaf = vergelijkbaar_vanaf(examenkandidaten_per_sector(e))
        e = e[(e["sector"] == "techniek") & (e["schooljaar"] >= (vanaf or "9999"))]
        d = (e.groupby(["schooljaar", "vestigingscode"])
             .agg(bekend=("kandidaten", "sum"), onderdrukt=("kandidaten_onderdrukt", "sum")).reset_index()
             .rename(columns={"schooljaar": "jaar"}).astype({"bekend": "int64", "onderdrukt": "int64"}))
        if d["jaar"].nunique() > 1:
            return d, "examenkandidaten vmbo sector techniek"
    return None, "geen reeks over meer jaren"


def verandering(reeks: pd.DataFrame, groep: pd.Series | None = None) -> pd.DataFrame:
    """The change from the first to the last year of a technical series (techniek_per_jaar), in
    total or per group (`groep`: vestigingscode -> group): known counts and suppressed cells of
    both years, and the change as estimate with its lowest and highest value (one rule for
    '<5': model.onderdrukking)."""
    van, tot = reeks["jaar"].min(), reeks["jaar"].max()
    sleutel = "_groep"
    d = reeks[reeks["jaar"].isin([van, tot])].assign(
        **{sleutel: "totaal" if groep is None else reeks["vestigingscode"].map(groep)})
    t = d.groupby([sleutel, "jaar"])[["bekend", "onderdrukt"]].sum().unstack("jaar", fill_value=0)
    b0, n0 = t[("bekend", van)], t[("onderdrukt", van)]
    b1, n1 = t[("bekend", tot)], t[("onderdrukt", tot)]
    punt, laag, hoog = onderdrukking.verandering(b0, n0, b1, n1)
    uit = pd.DataFrame({"van": van, "tot": tot, "bekend_van": b0, "onderdrukt_van": n0, "bekend_tot": b1,
                        "onderdrukt_tot": n1, "punt": punt, "laag": laag, "hoog": hoog})
    uit.index.name = None
    return uit


def totaal_per_jaar(reeks: pd.DataFrame) -> pd.DataFrame:
    """A technical series (techniek_per_jaar) summed per year: known count, suppressed cells, and
    the lowest, estimated and highest total they allow."""
    t = reeks.groupby("jaar")[["bekend", "onderdrukt"]].sum()
    return t.assign(laag=t["bekend"] + onderdrukking.ONDERDRUKT_MIN * t["onderdrukt"],
                    punt=onderdrukking.schatting(t["bekend"], t["onderdrukt"]),
                    hoog=t["bekend"] + onderdrukking.ONDERDRUKT_MAX * t["onderdrukt"])
