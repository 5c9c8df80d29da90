"""CBS/PDOK gebiedsindelingen: gemeente and arbeidsmarktregio boundaries (GeoJSON or TopoJSON, WGS84)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataFout

if TYPE_CHECKING:  # geopandas is loaded when boundaries are read, not when the package is
    import geopandas as gpd

SOORTEN = {"GM": "gemeente", "AM": "arbeidsmarktregio"}


def soort_van(obj: dict) -> str | None:
    """'gemeente' or 'arbeidsmarktregio' for a boundary file, judged by its statcodes."""
    if obj.get("type") == "Topology":
        geoms = [g for o in obj.get("objects", {}).values() for g in o.get("geometries", [])]
    elif obj.get("type") == "FeatureCollection":
        geoms = obj.get("features", [])
    else:
        return None
    codes = {str((g.get("properties") or {}).get("statcode", ""))[:2] for g in geoms[:50]}
    typen = {(g.get("geometry") or g).get("type") for g in geoms[:50]}
    if not typen & {"Polygon", "MultiPolygon"}:
        return None
    return SOORTEN.get(codes.pop()) if len(codes) == 1 else None


def lees_grenzen(pad: Path, soort: str) -> gpd.GeoDataFrame:
    pad = Path(pad)
    import geopandas as gpd

    g = gpd.read_file(pad)
    if g.crs is None:  # TopoJSON carries no CRS; CBS/PDOK's WGS84 exports are what we read
        g = g.set_crs("EPSG:4326")
    g = g.to_crs("EPSG:4326")
    for k in ("statcode", "statnaam"):
        if k not in g:
            raise DataFout(pad, f"eigenschap '{k}' ontbreekt", verwacht="CBS-gebiedsindeling met statcode en statnaam")
    g = g[["statcode", "statnaam", "geometry"]].copy()
    g["geometry"] = g.geometry.make_valid()  # a few generalised CBS polygons self-intersect
    g["soort"] = soort
    g["bestand"] = pad.name
    return g.sort_values("statcode").reset_index(drop=True)


def koppel_punten(locaties, gebieden, max_afstand: float = 0.05):
    """Which area (e.g. arbeidsmarktregio) each located vestiging lies in.

    Point in polygon; a point just outside every polygon (a school on the coast, generalised
    boundaries) goes to the nearest one within `max_afstand` degrees, else to none.
    """
    import pandas as pd
    import shapely

    punten = shapely.points(locaties["lon"].to_numpy(), locaties["lat"].to_numpy())
    vlakken = gebieden.geometry.values
    boom = shapely.STRtree(vlakken)
    idx_p, idx_v = boom.query(punten, predicate="within")
    gevonden = dict(zip(idx_p.tolist(), idx_v.tolist(), strict=True))
    rest = [i for i in range(len(punten)) if i not in gevonden]
    if rest:
        dichtst, afstand = boom.query_nearest(punten[rest], max_distance=max_afstand, return_distance=True)
        for i_rest, i_v in zip(dichtst[0].tolist(), dichtst[1].tolist(), strict=True):
            gevonden.setdefault(rest[i_rest], i_v)
    rijen = [(locaties["vestigingscode"].iloc[i], gebieden["statcode"].iloc[v], gebieden["statnaam"].iloc[v])
             for i, v in sorted(gevonden.items())]
    return pd.DataFrame(rijen, columns=["vestigingscode", "arbeidsmarktregiocode", "arbeidsmarktregionaam"])
