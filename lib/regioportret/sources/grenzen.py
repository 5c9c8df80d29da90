"""CBS/PDOK gebiedsindelingen: gemeente and arbeidsmarktregio boundaries (GeoJSON or TopoJSON, WGS84)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd

from ..errors import DataFout

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
