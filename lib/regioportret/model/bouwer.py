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
from ..rules import INDELING_BEWERKT as BEWERKT
from ..rules import INDELING_NIET_INGEDEELD as NIET_INGEDEELD
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


def hele_indeling(codes: list[str], nummer: int, naam: str, tabel: pd.DataFrame,
                  los: list[str] | tuple = ()) -> tuple[pd.DataFrame, list[str]]:
    """The whole indeling with this region put in: (rows regionummer, regionaam,
    vestigingscode, opmerking; the vestigingen now in no region).

    `tabel`: the indeling the region is put into; `los`: vestigingen it already lists as in no
    region. The chosen vestigingen leave their old regions (a vestiging belongs to one region
    only) and a region left without vestigingen is dropped. Every vestiging of `tabel` and `los`
    that ends up in no region is listed, so a save never loses a school."""
    nummer, naam = int(nummer), str(naam).strip()
    rest = tabel[~tabel["vestigingscode"].isin(codes) & (tabel["regionummer"] != nummer)]
    rijen = pd.concat([
        pd.DataFrame({"regionummer": nummer, "regionaam": naam, "vestigingscode": sorted(codes),
                      "opmerking": BEWERKT}),
        rest[["regionummer", "regionaam", "vestigingscode"]].assign(opmerking=""),
    ], ignore_index=True).sort_values(["regionummer", "vestigingscode"]).reset_index(drop=True)
    niet = sorted((set(tabel["vestigingscode"]) | set(los)) - set(rijen["vestigingscode"]))
    return rijen, niet


def niet_ingedeeld(codes: list[str], nummer: int, tabel: pd.DataFrame, los: list[str] | tuple = ()) -> list[str]:
    """The vestigingen a whole-indeling save would list as in no region (shown before saving)."""
    return hele_indeling(codes, nummer, "x", tabel, los)[1]


def indeling_csv(codes: list[str], nummer: int, naam: str, indeling: Indeling | None = None,
                 tabel: pd.DataFrame | None = None, los: list[str] | tuple = ()) -> str:
    """The composition as a regio-indeling (regionummer;regionaam;vestigingscode).

    With `indeling` (or its `tabel` and `los`, e.g. a whole indeling loaded in the builder): the
    whole indeling with this region put in (hele_indeling), with a fourth column `opmerking`
    that marks the edited region ('bewerkt') and lists every vestiging now in no region ('niet
    ingedeeld', regionummer and regionaam empty). Without: just this region.
    """
    if not codes:
        raise SelectieFout("De regio heeft nog geen vestigingen.")
    if not str(naam).strip():
        raise SelectieFout("Geef de regio een naam.")
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    if indeling is not None:
        tabel, los = indeling.tabel, [*indeling.niet_ingedeeld, *los]
    if tabel is None:
        w.writerow(["regionummer", "regionaam", "vestigingscode"])
        w.writerows([[formulevrij(x) for x in (int(nummer), str(naam).strip(), c)] for c in sorted(codes)])
        return buf.getvalue()
    rijen, niet = hele_indeling(codes, nummer, naam, tabel, los)
    w.writerow(["regionummer", "regionaam", "vestigingscode", "opmerking"])
    w.writerows([[formulevrij(x) for x in r] for r in rijen.itertuples(index=False, name=None)])
    w.writerows([["", "", c, NIET_INGEDEELD] for c in niet])
    return buf.getvalue()


def geopend(geladen: Indeling, actief: Indeling) -> tuple[int, str]:
    """Which region of a loaded indeling to open, and why: the one the file marks as edited;
    a file with one region: that one; else (a file without the mark) a region the active
    indeling does not have, else one that differs from it, else the first."""
    nummers = sorted(int(n) for n in geladen.tabel["regionummer"].unique())
    if geladen.bewerkt is not None:
        return geladen.bewerkt, "bewerkt"
    if len(nummers) == 1:
        return nummers[0], "enige"
    actief_t = actief.tabel.groupby("regionummer")["vestigingscode"].agg(frozenset).to_dict()
    geladen_t = geladen.tabel.groupby("regionummer")["vestigingscode"].agg(frozenset).to_dict()
    nieuw = [n for n in nummers if n not in actief_t]
    anders = [n for n in nummers if n in actief_t and actief_t[n] != geladen_t[n]]
    return (nieuw or anders or nummers)[0], ("geraden" if nieuw or anders else "eerste")


def vrij_nummer(indeling: Indeling) -> int:
    """A registration number not used by the active indeling (the next after the highest)."""
    return int(indeling.tabel["regionummer"].max()) + 1 if len(indeling.tabel) else 1


def afstand_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (for tests and labels)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * AARDSTRAAL_M * math.asin(math.sqrt(a))
