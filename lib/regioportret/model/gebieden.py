"""Region areas for the map, derived from where a region's vestigingen are. shapely is imported
inside the functions that draw: a page that reads the cached layers never loads it.

Each located vestiging gets its Voronoi territory (the part of the country closer to it
than to any other vestiging); a region's area is the union of its vestigingen' territories,
clipped to the country. So two regions overlap only where their vestigingen share a point,
and a vestiging outside every region keeps its territory out of all regions.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import rules

AFRONDING = 4  # decimals of a degree in the GeoJSON (about 10 m): keeps the layer small


def grens_van(gemeenten, punten: pd.DataFrame, vereenvoudig: float = 0.002, marge: float = 0.01):
    """The outline to clip to: the union of the gemeente polygons (else a buffered hull of the
    points), always with a small disc around every vestiging so none is clipped off its region."""
    import shapely
    from shapely.geometry import MultiPoint

    schijven = shapely.union_all(shapely.buffer(shapely.points(punten["lon"], punten["lat"]), marge))
    if gemeenten is not None and len(gemeenten):
        land = shapely.simplify(shapely.union_all(shapely.make_valid(gemeenten.geometry.values)), vereenvoudig)
        return shapely.union(land, schijven)
    return shapely.union(MultiPoint(list(zip(punten["lon"], punten["lat"], strict=True))).convex_hull.buffer(0.1),
                         schijven)


def regio_gebieden(locaties: pd.DataFrame, indeling: pd.DataFrame, grens,
                   vereenvoudig: float = 0.0) -> pd.DataFrame:
    """One row per region: regionummer, regionaam, geometry (shapely), label point (lon, lat)."""
    import shapely
    from shapely.geometry import MultiPoint

    pts = locaties[["vestigingscode", "lon", "lat"]].merge(
        indeling[["vestigingscode", "regionummer"]], on="vestigingscode", how="left")
    pts["x"], pts["y"] = pts["lon"].round(5), pts["lat"].round(5)
    # Several vestigingen at one address share one territory: it goes to their (most common) region.
    per_punt = pts.groupby(["x", "y"], sort=False)["regionummer"].agg(
        lambda s: s.dropna().mode().iloc[0] if s.notna().any() else pd.NA).reset_index()
    cellen = shapely.voronoi_polygons(MultiPoint(list(zip(per_punt["x"], per_punt["y"], strict=True))),
                                      extend_to=shapely.envelope(grens).buffer(1.0), ordered=True)
    per_punt["cel"] = list(cellen.geoms)
    rijen = []
    namen = indeling.drop_duplicates("regionummer").set_index("regionummer")["regionaam"]
    for nr, groep in per_punt.dropna(subset=["regionummer"]).groupby("regionummer"):
        vlak = shapely.intersection(shapely.union_all(groep["cel"].to_list()), grens)
        if vereenvoudig:  # per region: shared borders may drift apart, so off by default
            vlak = shapely.simplify(vlak, vereenvoudig)
        if vlak.is_empty:
            continue
        label = vlak.point_on_surface() if not isinstance(vlak, shapely.MultiPolygon) else \
            max(vlak.geoms, key=lambda g: g.area).point_on_surface()
        rijen.append({"regionummer": int(nr), "regionaam": namen.get(nr, ""), "geometry": vlak,
                      "label_lon": label.x, "label_lat": label.y})
    return pd.DataFrame(rijen)


def als_geojson(gebieden: pd.DataFrame, eigenschappen=("regionummer", "regionaam")) -> dict:
    """A compact FeatureCollection (coordinates rounded) of the region areas."""
    import shapely
    from shapely.geometry import mapping

    features = []
    for _, r in gebieden.iterrows():
        geom = shapely.set_precision(r["geometry"], 10 ** -AFRONDING)
        features.append({"type": "Feature", "id": int(r["regionummer"]),
                         "properties": {k: (int(r[k]) if k == "regionummer" else r[k]) for k in eigenschappen},
                         "geometry": mapping(geom)})
    return {"type": "FeatureCollection", "features": features}


@dataclass
class Kaartlagen:
    """What the map draws, as plain data (GeoJSON dicts): computed once per dataset and
    indeling; the context keeps it in the store's cache."""

    gemeenten: dict | None
    regios: dict
    labels: list[dict]  # regionummer, regionaam, lat, lon
    grenzen: dict[int, list[list[float]]]  # regionummer -> [[south, west], [north, east]]
    totaal: list[list[float]]


def _gemeenten_geojson(gemeenten) -> dict | None:
    if gemeenten is None:
        return None
    import shapely
    from shapely.geometry import mapping

    features = []
    for code, naam, geom in zip(gemeenten["statcode"], gemeenten["statnaam"], gemeenten.geometry, strict=True):
        g = shapely.set_precision(shapely.simplify(geom, 0.001), 10 ** -AFRONDING)
        features.append({"type": "Feature", "properties": {"statcode": code, "statnaam": naam}, "geometry": mapping(g)})
    return {"type": "FeatureCollection", "features": features}


def kaartlagen(gemeenten, locaties: pd.DataFrame, indeling: pd.DataFrame) -> Kaartlagen:
    """Region areas, labels, bounds and the gemeente outlines of one indeling."""
    grens = grens_van(gemeenten, locaties)
    geb = regio_gebieden(locaties, indeling, grens)
    grenzen = {}
    for nr, g in zip(geb["regionummer"], geb["geometry"], strict=True):
        w, s, e, n = g.bounds
        grenzen[int(nr)] = [[s, w], [n, e]]
    w, s, e, n = grens.bounds
    return Kaartlagen(
        gemeenten=_gemeenten_geojson(gemeenten),
        regios=als_geojson(geb),
        labels=[{"regionummer": int(r.regionummer), "regionaam": r.regionaam, "lat": r.label_lat, "lon": r.label_lon}
                for r in geb.itertuples()],
        grenzen=grenzen,
        totaal=[[s, w], [n, e]],
    )


def scholen(basis_tabel: pd.DataFrame, locaties: pd.DataFrame | None) -> pd.DataFrame:
    """One row per deelnemende vestiging with a location: code, naam, regio, techniek, lon, lat."""
    kolommen = ["vestigingscode", "naam", "regio", "techniek", "lon", "lat"]
    if locaties is None:
        return pd.DataFrame(columns=kolommen)
    tech = set(basis_tabel.loc[basis_tabel["profiel"].isin(rules.TECHNISCHE_PROFIELEN), "vestigingscode"])
    v = basis_tabel.groupby("vestigingscode", as_index=False).agg(naam=("vestigingsnaam", "first"),
                                                                   regio=("regionummer", "first"))
    v = v.merge(locaties[["vestigingscode", "lon", "lat"]], on="vestigingscode", how="inner")
    v["techniek"] = v["vestigingscode"].isin(tech)
    return v[kolommen]
