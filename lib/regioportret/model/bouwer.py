"""Composing a region: which vestigingen lie inside a drawn shape, which are already in another
region, and the composition written as a regio-indeling the package loads."""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import pandas as pd

from ..errors import SelectieFout
from ..formule import formulevrij
from .regios import Indeling

AARDSTRAAL_M = 6_371_000


def binnen_vorm(locaties: pd.DataFrame, vorm: dict) -> list[str]:
    """Vestigingscodes inside a drawn GeoJSON feature: a polygon or rectangle, or a circle
    (Leaflet draws it as a point with `properties.style.radius` in metres)."""
    import shapely
    from shapely.geometry import shape

    geom = vorm.get("geometry", vorm)
    lon, lat = locaties["lon"].to_numpy(), locaties["lat"].to_numpy()
    if geom.get("type") == "Point":
        straal = ((vorm.get("properties") or {}).get("style") or {}).get("radius")
        if not straal:
            raise SelectieFout("De getekende cirkel heeft geen straal.")
        lon0, lat0 = np.radians(geom["coordinates"][0]), np.radians(geom["coordinates"][1])
        dlat, dlon = np.radians(lat) - lat0, np.radians(lon) - lon0
        a = np.sin(dlat / 2) ** 2 + np.cos(lat0) * np.cos(np.radians(lat)) * np.sin(dlon / 2) ** 2
        binnen = 2 * AARDSTRAAL_M * np.arcsin(np.sqrt(a)) <= float(straal)
    else:
        try:
            vlak = shape(geom)
        except Exception as e:  # noqa: BLE001 - a drawing the map sent that shapely cannot read
            raise SelectieFout(f"De getekende vorm is niet te lezen ({type(e).__name__}).") from None
        binnen = shapely.contains_xy(vlak, lon, lat)
    return sorted(locaties.loc[binnen, "vestigingscode"])


def overlap(codes: list[str], indeling: Indeling, eigen: int | None = None) -> pd.DataFrame:
    """The chosen vestigingen that the active indeling already puts in another region."""
    t = indeling.tabel
    t = t[t["vestigingscode"].isin(codes)]
    if eigen is not None:
        t = t[t["regionummer"] != eigen]
    return t[["vestigingscode", "regionummer", "regionaam"]].sort_values(["regionummer", "vestigingscode"]) \
        .reset_index(drop=True)


def indeling_csv(codes: list[str], nummer: int, naam: str, indeling: Indeling | None = None) -> str:
    """The composition as a regio-indeling (regionummer;regionaam;vestigingscode).

    With `indeling`: the whole active indeling with this region put in, the chosen vestigingen
    taken out of their old regions (a vestiging belongs to one region only) and regions left
    without vestigingen dropped. Without: just this region.
    """
    if not codes:
        raise SelectieFout("De regio heeft nog geen vestigingen.")
    if not str(naam).strip():
        raise SelectieFout("Geef de regio een naam.")
    rijen = [(int(nummer), str(naam).strip(), c) for c in sorted(codes)]
    if indeling is not None:
        rest = indeling.tabel[~indeling.tabel["vestigingscode"].isin(codes) & (indeling.tabel["regionummer"] != nummer)]
        rijen = sorted(rijen + list(rest[["regionummer", "regionaam", "vestigingscode"]].itertuples(index=False,
                                                                                                    name=None)))
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(["regionummer", "regionaam", "vestigingscode"])
    w.writerows([[formulevrij(x) for x in r] for r in rijen])
    return buf.getvalue()


def bewerkte_regio(tabel: pd.DataFrame, indeling: Indeling) -> int:
    """Which region of a loaded indeling to open: a region the active indeling does not have
    (saved under a new number), else one that differs from the active indeling (edited under its
    own number), else the first."""
    nummers = sorted(int(n) for n in tabel["regionummer"].unique())
    actief = indeling.tabel.groupby("regionummer")["vestigingscode"].agg(frozenset).to_dict()
    geladen = tabel.groupby("regionummer")["vestigingscode"].agg(frozenset).to_dict()
    nieuw = [n for n in nummers if n not in actief]
    anders = [n for n in nummers if n in actief and actief[n] != geladen[n]]
    return (nieuw or anders or nummers)[0]


def vrij_nummer(indeling: Indeling) -> int:
    """A registration number not used by the active indeling (the next after the highest)."""
    return int(indeling.tabel["regionummer"].max()) + 1 if len(indeling.tabel) else 1


def afstand_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (for tests and labels)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * AARDSTRAAL_M * math.asin(math.sqrt(a))
