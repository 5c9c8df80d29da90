"""Region areas for the map. shapely is imported inside the functions that draw: a page that
reads the cached layers never loads it.

A region built from whole gemeenten (every gemeente its vestigingen lie in has no vestiging of
another region) is drawn as the union of those gemeenten, plus the gemeenten without a school
that model.indelen gives it. Any other region ("loose" vestigingen) is the union of its
vestigingen' Voronoi territories (the part of the country closer to them than to any other
vestiging), clipped to the country and kept out of the gemeente-built regions. So two regions
overlap only where their vestigingen share a point, and a vestiging outside every region keeps
its territory out of all regions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .. import rules

AFRONDING = 4  # decimals of a degree in the GeoJSON (about 10 m): keeps the layer small
RASTER = 10 ** -AFRONDING


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


def _vlak(g):
    """Only the polygonal part of a geometry (an intersection can leave lines and points)."""
    import shapely

    delen = [d for d in shapely.get_parts(shapely.make_valid(g)) if d.geom_type in ("Polygon", "MultiPolygon")]
    delen = [p for d in delen for p in shapely.get_parts(d)]
    return shapely.MultiPolygon(delen) if len(delen) != 1 else delen[0]


PUNT_MARGE = 0.003  # degrees (about 250 m): the disc that moves a stray dot into its own region


def _eigen_punten(vlakken: dict, per_punt: pd.DataFrame) -> dict:
    """Every region contains exactly its own dots: a dot whose point lies outside its region (a
    school near a gemeente border, a simplified edge) gets a small disc taken from its neighbours."""
    import shapely

    for x, y, nr in zip(per_punt["x"], per_punt["y"], per_punt["regionummer"], strict=True):
        if pd.isna(nr) or int(nr) not in vlakken:
            continue
        pt = shapely.points(x, y)
        if vlakken[int(nr)].contains(pt) and not any(v.contains(pt) for n, v in vlakken.items() if n != int(nr)):
            continue
        schijf = shapely.buffer(pt, PUNT_MARGE)
        for n in vlakken:
            vlakken[n] = _vlak(shapely.union(vlakken[n], schijf, grid_size=RASTER) if n == int(nr)
                               else shapely.difference(vlakken[n], schijf, grid_size=RASTER))
    return vlakken


def gemeente_vlakken(indeling: pd.DataFrame, adressen: pd.DataFrame | None, gemeenten) -> dict:
    """regionummer -> union of its gemeenten, for the regions built from whole gemeenten."""
    import shapely

    from .indelen import gemeente_regios

    if adressen is None or gemeenten is None or not len(gemeenten) or "gemeentecode" not in adressen:
        return {}
    gr = gemeente_regios(indeling, adressen, gemeenten)
    eigen = indeling[["vestigingscode", "regionummer"]].merge(adressen[["vestigingscode", "gemeentecode"]],
                                                              on="vestigingscode")
    eigen["statcode"] = "GM" + eigen["gemeentecode"].astype(str)
    heel = dict(zip(gr["statcode"], gr["regionummer"], strict=True))
    # a region is gemeente-built when each gemeente of its vestigingen lies wholly in it
    ok = eigen.assign(goed=[heel.get(c) == r for c, r in zip(eigen["statcode"], eigen["regionummer"], strict=True)])
    gebouwd = {int(nr) for nr, g in ok.groupby("regionummer") if g["goed"].all()}
    geoms = dict(zip(gemeenten["statcode"].astype(str), shapely.make_valid(gemeenten.geometry.values), strict=True))
    uit = {}
    for nr in gebouwd:
        delen = [geoms[c] for c, r in heel.items() if r == nr and c in geoms]
        if delen:
            uit[nr] = shapely.union_all(delen)
    return uit


def regio_gebieden(locaties: pd.DataFrame, indeling: pd.DataFrame, grens,
                   vereenvoudig: float = 0.0, adressen: pd.DataFrame | None = None, gemeenten=None) -> pd.DataFrame:
    """One row per region: regionummer, regionaam, geometry (shapely), label point (lon, lat), and
    `vorm`: 'gemeenten' (union of its gemeenten) or 'vestigingen' (Voronoi territories)."""
    import shapely
    from shapely.geometry import MultiPoint

    uit_gemeenten = gemeente_vlakken(indeling, adressen, gemeenten)
    if uit_gemeenten and vereenvoudig:  # as one coverage: neighbouring regions keep one shared border
        nrs = list(uit_gemeenten)
        uit_gemeenten = dict(zip(nrs, [_vlak(g) for g in shapely.coverage_simplify(
            [_vlak(uit_gemeenten[n]) for n in nrs], vereenvoudig)], strict=True))
    # On the GeoJSON's grid from here on: rounding after the overlays would open slivers between regions.
    uit_gemeenten = {n: _vlak(shapely.set_precision(g, RASTER)) for n, g in uit_gemeenten.items()}
    bezet = shapely.union_all(list(uit_gemeenten.values()), grid_size=RASTER) if uit_gemeenten else None

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
    vlakken, vormen = {}, {}
    for nr, groep in per_punt.dropna(subset=["regionummer"]).groupby("regionummer"):
        if int(nr) in uit_gemeenten:
            vlakken[int(nr)], vormen[int(nr)] = uit_gemeenten[int(nr)], "gemeenten"
            continue
        vlak = shapely.intersection(shapely.union_all(groep["cel"].to_list()), grens, grid_size=RASTER)
        if bezet is not None:
            vlak = shapely.difference(vlak, bezet, grid_size=RASTER)
        vlakken[int(nr)], vormen[int(nr)] = vlak, "vestigingen"
    for nr in set(uit_gemeenten) - set(vlakken):  # a region whose vestigingen have no location
        vlakken[nr], vormen[nr] = uit_gemeenten[nr], "gemeenten"
    nummers = sorted(vlakken)
    geoms = _eigen_punten({n: _vlak(vlakken[n]) for n in nummers}, per_punt)
    geoms = [geoms[n] for n in nummers]
    for nr, vlak in zip(nummers, geoms, strict=True):
        if vlak.is_empty:
            continue
        from shapely.ops import polylabel

        deel = vlak if not isinstance(vlak, shapely.MultiPolygon) else max(vlak.geoms, key=lambda g: g.area)
        label = polylabel(deel, 0.002)  # the point farthest inside: the label stays clear of the border
        rijen.append({"regionummer": int(nr), "regionaam": namen.get(nr, ""), "geometry": vlak,
                      "label_lon": label.x, "label_lat": label.y, "vorm": vormen[nr]})
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


ZOOMS = range(5, 15)  # the zoom levels the map allows; labels are placed for each
LABEL_HOOGTE, LABEL_TEKEN, LABEL_RAND = 16, 7, 8  # px: a label is LABEL_RAND + LABEL_TEKEN per digit wide


def label_breedte(tekst: str) -> int:
    return LABEL_RAND + LABEL_TEKEN * len(tekst)


def _pixel(lon: float, lat: float, zoom: int) -> tuple[float, float]:
    """Web Mercator pixel position at this zoom (256-pixel tiles)."""
    import math

    schaal = 256 * 2**zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180) / 360 * schaal, (1 - y / math.pi) / 2 * schaal


def label_volgorde(labels: list[dict], gewicht: dict[int, float]) -> list[int]:
    """The order labels are placed in: largest region first (then by number)."""
    return [int(lab["regionummer"]) for lab in
            sorted(labels, key=lambda lab: (-gewicht.get(lab["regionummer"], 0), lab["regionummer"]))]


def zonder_overlap(nummers: list[int], doos) -> list[int]:
    """The rule every map places its region labels by: greedily in this order, a label is kept
    only when its box (x0, y0, x1, y1 = doos(nummer), or None: not drawn) covers no kept one."""
    geplaatst: list[tuple[float, float, float, float]] = []
    uit = []
    for nr in nummers:
        d = doos(nr)
        if d is None:
            continue
        if all(d[2] <= g[0] or d[0] >= g[2] or d[3] <= g[1] or d[1] >= g[3] for g in geplaatst):
            geplaatst.append(d)
            uit.append(nr)
    return uit


def labels_per_zoom(labels: list[dict], gewicht: dict[int, float], marge: int = 2) -> dict[int, list[int]]:
    """For every zoom, the region labels that fit without covering each other: placed greedily,
    largest region first, so zoomed out the big regions keep their number and zoomed in all do."""
    per_nummer = {int(lab["regionummer"]): lab for lab in labels}

    def doos(nr, z):
        lab = per_nummer[nr]
        x, y = _pixel(lab["lon"], lab["lat"], z)
        b = label_breedte(str(nr)) / 2 + marge
        h = LABEL_HOOGTE / 2 + marge
        return (x - b, y - h, x + b, y + h)

    volgorde = label_volgorde(labels, gewicht)
    return {z: sorted(zonder_overlap(volgorde, lambda nr, z=z: doos(nr, z))) for z in ZOOMS}


@dataclass
class Kaartlagen:
    """What the map draws, as plain data (GeoJSON dicts): computed once per dataset and
    indeling; the context keeps it in the store's cache."""

    gemeenten: dict | None
    regios: dict
    labels: list[dict]  # regionummer, regionaam, lat, lon
    grenzen: dict[int, list[list[float]]]  # regionummer -> [[south, west], [north, east]]
    totaal: list[list[float]]
    # zoom -> the labels that fit, for every zoom in ZOOMS (the maps allow no other)
    labels_per_zoom: dict[int, list[int]] = field(default_factory=dict)
    # the order labels are placed in (largest region first): every map, static ones too
    label_volgorde: list[int] = field(default_factory=list)
    # where the school points come from (locaties' `bron`: 'rio', 'punt', 'pc4'): the map names them
    locatiebronnen: list[str] = field(default_factory=list)
    # the gemeente outlines as one MultiPolygon feature: the interactive map draws them as one SVG
    # path instead of one per gemeente (about 340 elements less; nothing on them is clickable)
    gemeenten_samen: dict | None = None


def _samen(gemeenten: dict | None) -> dict | None:
    """One MultiPolygon feature of every gemeente (Kaartlagen.gemeenten_samen)."""
    if not gemeenten:
        return None
    vlakken = []
    for f in gemeenten["features"]:
        g = f["geometry"]
        if g["type"] == "Polygon":
            vlakken.append(g["coordinates"])
        elif g["type"] == "MultiPolygon":
            vlakken += g["coordinates"]
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"aantal_gemeenten": len(gemeenten["features"])},
         "geometry": {"type": "MultiPolygon", "coordinates": vlakken}}]}


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


def kaartlagen(gemeenten, locaties: pd.DataFrame, indeling: pd.DataFrame,
               adressen: pd.DataFrame | None = None) -> Kaartlagen:
    """Region areas, labels, bounds and the gemeente outlines of one indeling."""
    grens = grens_van(gemeenten, locaties)
    geb = regio_gebieden(locaties, indeling, grens, vereenvoudig=0.001, adressen=adressen, gemeenten=gemeenten)
    grenzen = {}
    for nr, g in zip(geb["regionummer"], geb["geometry"], strict=True):
        w, s, e, n = g.bounds
        grenzen[int(nr)] = [[s, w], [n, e]]
    w, s, e, n = grens.bounds
    labels = [{"regionummer": int(r.regionummer), "regionaam": r.regionaam, "lat": r.label_lat, "lon": r.label_lon,
               "breedte": label_breedte(str(int(r.regionummer))), "hoogte": LABEL_HOOGTE} for r in geb.itertuples()]
    oppervlak = dict(zip(geb["regionummer"], geb["geometry"].map(lambda g: g.area), strict=True))
    gemeenten_geojson = _gemeenten_geojson(gemeenten)
    return Kaartlagen(
        gemeenten=gemeenten_geojson, gemeenten_samen=_samen(gemeenten_geojson),
        regios=als_geojson(geb, ("regionummer", "regionaam", "vorm")),
        labels=labels,
        grenzen=grenzen,
        totaal=[[s, w], [n, e]],
        labels_per_zoom=labels_per_zoom(labels, oppervlak),
        label_volgorde=label_volgorde(labels, oppervlak),
        locatiebronnen=sorted(set(locaties["bron"])) if "bron" in locaties else [],
    )


def scholen(basis_tabel: pd.DataFrame, locaties: pd.DataFrame | None,
            adressen: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per deelnemende vestiging with a location: code, naam, plaats, postcode, regio,
    techniek, lon, lat (what the map draws and its search box finds)."""
    kolommen = ["vestigingscode", "naam", "plaats", "postcode", "regio", "techniek", "lon", "lat"]
    if locaties is None:
        return pd.DataFrame(columns=kolommen)
    tech = set(basis_tabel.loc[basis_tabel["profiel"].isin(rules.TECHNISCHE_PROFIELEN), "vestigingscode"])
    v = basis_tabel.groupby("vestigingscode", as_index=False).agg(naam=("vestigingsnaam", "first"),
                                                                   plaats=("plaatsnaam", "first"),
                                                                   regio=("regionummer", "first"))
    v = v.merge(locaties[["vestigingscode", "lon", "lat"]], on="vestigingscode", how="inner")
    pc = adressen.drop_duplicates("vestigingscode").set_index("vestigingscode")["postcode"] \
        if adressen is not None and "postcode" in adressen else pd.Series(dtype=str)
    v["postcode"] = v["vestigingscode"].map(pc).fillna("").astype(str)
    v["techniek"] = v["vestigingscode"].isin(tech)
    return v[kolommen]


def zoek_scholen(scholen: pd.DataFrame, tekst: str, maximum: int = 8) -> list[str]:
    """Vestigingscodes of the school dots that match `tekst`: a vestigingscode, a postcode (with or
    without the space), or words that all occur in the name and place. Exact code first."""
    from .indelen import norm

    woorden = norm(tekst).split()
    if not woorden:
        return []
    code = "".join(woorden).upper()
    exact = scholen.loc[scholen["vestigingscode"] == code, "vestigingscode"].tolist()
    if exact:
        return exact
    pc = scholen["postcode"].str.replace(" ", "", regex=False).str.upper()
    op_postcode = scholen.loc[(pc != "") & pc.str.startswith(code) & (len(code) >= 4), "vestigingscode"].tolist()
    tekst_norm = (scholen["naam"].map(norm) + " " + scholen["plaats"].map(norm))
    op_naam = scholen.loc[tekst_norm.map(lambda t: all(w in t for w in woorden)), "vestigingscode"].tolist()
    return list(dict.fromkeys(op_postcode + op_naam))[:maximum]
