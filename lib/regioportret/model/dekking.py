"""Coverage: how far the young people of a region live from the nearest offer of each technical
profiel. Pure: handed the postcode centroids, who lives where, and the offers.

Method (one sentence on every surface, `METHODE`): every 4-digit postcode area (PC4) counts
with its residents aged 10-14 (CBS; they are the vmbo pupils of the coming years), at its
centroid; its distance to a profiel is the straight-line ("hemelsbreed") distance to the
nearest vestiging anywhere in the country with students in that profiel in leerjaar 3-4; a
PC4 belongs to the region of its nearest vestiging (any vo vestiging with a location).

When the data has DUO's pupils per vestiging by home postcode, those pupils replace the
residents (`METHODE_LEERLINGEN`): each counts at the centroid of the PC4 where they live, for
the region of the vestiging they attend.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import rules

AARDSTRAAL_KM = 6371.0088  # mean Earth radius (IUGG)
GRENZEN_KM: tuple[int, ...] = (5, 10, 15, 20)
LEEFTIJD: tuple[int, int] = (10, 14)
METHODE = (f"Hemelsbrede afstand van het midden van elk postcodegebied (PC4) tot de dichtstbijzijnde vestiging in "
           f"Nederland met leerlingen in dat profiel (leerjaar 3-4), gewogen naar de inwoners van "
           f"{LEEFTIJD[0]}-{LEEFTIJD[1]} jaar; een postcodegebied hoort bij de regio van de dichtstbijzijnde "
           "vestiging.")


LEERJAREN: tuple[int, ...] = (1, 2, 3, 4)
METHODE_LEERLINGEN = ("Hemelsbrede afstand van het midden van het postcodegebied (PC4) waar een leerling woont tot de "
                      "dichtstbijzijnde vestiging in Nederland met leerlingen in dat profiel (leerjaar 3-4), voor de "
                      f"leerlingen in leerjaar {LEERJAREN[0]}-{LEERJAREN[-1]} van de vestigingen met vmbo-leerlingen; "
                      "een leerling telt bij de regio van de vestiging waar hij op school zit.")
BRON_JONGEREN = "CBS, inwoners per postcodegebied naar leeftijd; GeoNames, postcodes"
BRON_LEERLINGEN = "DUO, leerlingen vo per vestiging naar postcode leerling en leerjaar; GeoNames, postcodes"


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km (arrays broadcast)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * AARDSTRAAL_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def _dichtstbij(lat, lon, doel_lat, doel_lon, blok: int = 512) -> tuple[np.ndarray, np.ndarray]:
    """(index of the nearest target, distance in km) for every point, in blocks (memory stays small)."""
    idx = np.empty(len(lat), dtype=np.int64)
    km = np.empty(len(lat))
    for i in range(0, len(lat), blok):
        d = haversine_km(lat[i:i + blok, None], lon[i:i + blok, None], doel_lat[None, :], doel_lon[None, :])
        idx[i:i + blok] = d.argmin(axis=1)
        km[i:i + blok] = d[np.arange(len(d)), idx[i:i + blok]]
    return idx, km


def afstand_tot(lat: np.ndarray, lon: np.ndarray, locaties: pd.DataFrame, codes) -> np.ndarray:
    """Per point, the straight-line km to the nearest of these vestigingen (NaN when there is none)."""
    a = locaties[locaties["vestigingscode"].isin(codes)].drop_duplicates("vestigingscode")
    if not len(a) or not len(lat):
        return np.full(len(lat), np.nan)
    return _dichtstbij(lat, lon, a["lat"].to_numpy(float), a["lon"].to_numpy(float))[1]


def aanbod_van(basis_tabel: pd.DataFrame) -> dict[str, list[str]]:
    """profiel -> the vestigingen offering it: students in leerjaar 3-4 (a suppressed `<5` cell counts)."""
    t = basis_tabel
    return {p: sorted(t.loc[(t["profiel"] == p) & ((t["aantal"] > 0) | t["onderdrukt"]), "vestigingscode"].unique())
            for p in rules.TECHNISCHE_PROFIELEN}


def jongeren_per_pc4(bevolking: pd.DataFrame | None) -> pd.DataFrame:
    """pc4, inwoners aged 10-14 (the newest peiljaar), from CBS's residents by postcode and age band."""
    if bevolking is None or bevolking.empty:
        return pd.DataFrame(columns=["pc4", "inwoners"])
    b = bevolking[(bevolking["soort"] == "postcode") & (bevolking["gebied"].astype(str).str.fullmatch(r"\d{4}"))
                  & (bevolking["leeftijd_van"] == LEEFTIJD[0]) & (bevolking["leeftijd_tot"] == LEEFTIJD[1])]
    b = b[b["peiljaar"] == b["peiljaar"].max()]
    return (b.groupby(b["gebied"].astype(str))["inwoners"].sum().rename_axis("pc4").reset_index()
            .astype({"inwoners": "int64"}))


def basis(pc4: pd.DataFrame, jongeren: pd.DataFrame, locaties: pd.DataFrame,
          aanbod: dict[str, list[str]]) -> tuple[pd.DataFrame, dict]:
    """One row per PC4 with young residents and a centroid: pc4, inwoners, dichtstbij (nearest
    vestiging), km_<profiel>. Also what was left out (PC4s without centroid, without residents).

    aanbod: profiel -> vestigingscodes offering it (students in leerjaar 3-4 > 0)."""
    pc4 = pc4.assign(pc4=pc4["pc4"].astype(str))
    t = jongeren.merge(pc4, on="pc4", how="left")
    zonder_punt = t[t["lat"].isna()]
    t = t[t["lat"].notna() & (t["inwoners"] > 0)].reset_index(drop=True)
    leeg = pc4[~pc4["pc4"].isin(jongeren.loc[jongeren["inwoners"] > 0, "pc4"])]
    loc = locaties.drop_duplicates("vestigingscode").reset_index(drop=True)
    lat, lon = t["lat"].to_numpy(float), t["lon"].to_numpy(float)
    i, _ = _dichtstbij(lat, lon, loc["lat"].to_numpy(float), loc["lon"].to_numpy(float))
    t["dichtstbij"] = loc["vestigingscode"].to_numpy()[i]
    for profiel in rules.TECHNISCHE_PROFIELEN:
        t[f"km_{profiel}"] = afstand_tot(lat, lon, loc, aanbod.get(profiel, []))
    weggelaten = {"zonder_middelpunt": {"pc4": int(len(zonder_punt)), "inwoners": int(zonder_punt["inwoners"].sum())},
                  "zonder_jongeren": int(len(leeg))}
    return t, weggelaten


def leerlingen_per_pc4(woonplaatsen: pd.DataFrame, jaar: int, vestigingen: set[str]) -> tuple[pd.DataFrame, int]:
    """(vestigingscode, pc4, inwoners, onderdrukt) of the pupils in leerjaar 1-4 of these
    vestigingen, by home PC4, for the teldatum `jaar` (or the latest year the file has before
    it, else its first); and the year used."""
    jaren = sorted(int(j) for j in woonplaatsen["jaar"].unique())
    gebruikt = max((j for j in jaren if j <= jaar), default=jaren[0])
    w = woonplaatsen[(woonplaatsen["jaar"] == gebruikt) & woonplaatsen["leerjaar"].isin(LEERJAREN)
                     & woonplaatsen["vestigingscode"].isin(vestigingen)]
    g = (w.assign(aantal=w["aantal"].fillna(0).astype("int64"), onderdrukt=w["onderdrukt"].astype("int64"))
         .groupby(["vestigingscode", "pc4"], as_index=False)
         .agg(inwoners=("aantal", "sum"), onderdrukt=("onderdrukt", "sum")))
    return g, gebruikt


def basis_leerlingen(pc4: pd.DataFrame, per_pc4: pd.DataFrame,
                     aanbod: dict[str, list[str]], locaties: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Like `basis`, with pupils by home PC4: one row per vestiging x home PC4, `dichtstbij`
    being the vestiging they attend (so a selection counts its own pupils)."""
    pc4 = pc4.assign(pc4=pc4["pc4"].astype(str))
    t = per_pc4.merge(pc4, on="pc4", how="left")
    zonder_punt = t[t["lat"].isna()]
    onderdrukt = int(t["onderdrukt"].sum())
    t = t[t["lat"].notna() & (t["inwoners"] > 0)].reset_index(drop=True)
    punten = t.drop_duplicates("pc4").reset_index(drop=True)
    lat, lon = punten["lat"].to_numpy(float), punten["lon"].to_numpy(float)
    km = {profiel: afstand_tot(lat, lon, locaties, aanbod.get(profiel, [])) for profiel in rules.TECHNISCHE_PROFIELEN}
    plek = pd.Index(punten["pc4"]).get_indexer(t["pc4"])
    uit = t[["pc4", "inwoners", "lat", "lon"]].assign(dichtstbij=t["vestigingscode"])
    for profiel in rules.TECHNISCHE_PROFIELEN:
        uit[f"km_{profiel}"] = km[profiel][plek]
    weggelaten = {"zonder_middelpunt": {"pc4": int(zonder_punt["pc4"].nunique()),
                                        "inwoners": int(zonder_punt["inwoners"].sum())},
                  "zonder_jongeren": 0, "onderdrukt": onderdrukt}
    return uit, weggelaten


def _kwantiel(km: np.ndarray, gewicht: np.ndarray, q: float) -> float:
    """The weighted q-quantile: the smallest distance within which a share q of the residents live."""
    volgorde = np.argsort(km, kind="stable")
    cum = np.cumsum(gewicht[volgorde])
    return float(km[volgorde][np.searchsorted(cum, q * cum[-1], side="left")])


def samenvatting(tabel: pd.DataFrame, aanbod: dict[str, list[str]], codes: set[str] | None = None) -> tuple[dict, ...]:
    """Per technical profiel, for the PC4s whose nearest vestiging is one of `codes` (all when
    None): residents, median and 90th-percentile distance, and the share within each limit."""
    t = tabel if codes is None else tabel[tabel["dichtstbij"].isin(codes)]
    w = t["inwoners"].to_numpy(float)
    uit = []
    for profiel in rules.TECHNISCHE_PROFIELEN:
        km = t[f"km_{profiel}"].to_numpy(float) if len(t) else np.array([])
        rij = {"profiel": profiel, "aanbieders": len(aanbod.get(profiel, [])),
               "aanbieders_in_selectie": len(set(aanbod.get(profiel, [])) & codes) if codes is not None else None,
               "pc4": int(len(t)), "inwoners": int(w.sum()), "mediaan_km": None, "p90_km": None,
               "binnen": {str(g): None for g in GRENZEN_KM}}
        if len(t) and w.sum() > 0 and not np.isnan(km).all():
            rij["mediaan_km"] = round(_kwantiel(km, w, 0.5), 1)
            rij["p90_km"] = round(_kwantiel(km, w, 0.9), 1)
            rij["binnen"] = {str(g): round(float(w[km <= g].sum() / w.sum()), 4) for g in GRENZEN_KM}
        uit.append(rij)
    return tuple(uit)
