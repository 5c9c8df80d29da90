"""The cohorts already born: how many children of each birth year live around each vestiging.

The forecast after the data (model.prognose) scales each vestiging's last count by how the
size of the birth cohorts that will fill it changes. Pure: handed CBS residents by age band
(model input `bevolking`: gebied, soort, leeftijd_van, leeftijd_tot, inwoners, peiljaar) and
the vestigingen with their postcode.

- Ages: residents are counted on 1 January of the peiljaar P; a resident aged a was born in
  P - 1 - a. A pupil enters leerjaar 1 in the teldatum year T he turns 12, so leerjaar k in
  teldatum T was born in T - 11 - k, and the vmbo exam of school year T (leerjaar 4) in T - 15.
- Single years from bands: each band's residents are spread over its ages linearly between the
  band midpoints' densities, then scaled so the band keeps its own total (a smooth curve instead
  of steps at the band edges; a uniform split would make every ratio within a band exactly 1).
- Area of a vestiging: the residents of its PC3 area (a school draws from more than its own
  PC4), else its PC2 area, else the whole country.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MAX_LEEFTIJD = 24  # single years up to this age are kept (older residents are no pupils)
GEBIEDEN = (3, 2)  # postcode digits of the area a vestiging takes, in order of preference
BRON = "CBS, inwoners per postcodegebied naar leeftijd"
METHODE = ("De leeftijdsgroepen van vijf jaar zijn over de afzonderlijke jaren verdeeld langs een rechte lijn tussen "
           "de middens van de groepen (elke groep houdt haar eigen totaal). Een vestiging telt met de inwoners van "
           "haar postcodegebied van drie cijfers (anders twee, anders het land).")


def geboortejaar(teldatum: int, leerjaar: int) -> int:
    """Birth year of the pupils in `leerjaar` on the teldatum (1 October) of year `teldatum`."""
    return teldatum - 11 - leerjaar


def examen_geboortejaar(jaar: int) -> int:
    """Birth year of the vmbo exam candidates of school year `jaar` (leerjaar 4 that teldatum)."""
    return geboortejaar(jaar, 4)


def _enkele_jaren(van: np.ndarray, tot: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Residents per single age 0..MAX_LEEFTIJD of one area from its bands (see module doc)."""
    leeftijden = np.arange(MAX_LEEFTIJD + 1)
    breedte = tot - van + 1
    midden = (van + tot) / 2
    dichtheid = n / breedte
    volgorde = np.argsort(midden)
    lijn = np.interp(leeftijden, midden[volgorde], dichtheid[volgorde])
    uit = np.zeros(len(leeftijden))
    for a, b, totaal in zip(van, tot, n, strict=True):
        binnen = (leeftijden >= a) & (leeftijden <= b)
        s = lijn[binnen].sum()
        if binnen.any():
            uit[binnen] = lijn[binnen] * (totaal / s) if s > 0 else totaal / binnen.sum()
    return uit


def cohorten(bevolking: pd.DataFrame | None) -> dict[int, pd.DataFrame]:
    """Per peiljaar: residents per postcode area (rows: the area's code, '97', '971', '9711') and
    birth year (columns), from the postcode tables with a known peiljaar (none: an empty dict).
    A forecast from an origin uses only a count made by then."""
    if bevolking is None or bevolking.empty:
        return {}
    b = bevolking[(bevolking["soort"] == "postcode") & bevolking["peiljaar"].notna()
                  & bevolking["inwoners"].notna() & (bevolking["leeftijd_van"] <= MAX_LEEFTIJD)]
    uit = {}
    for peiljaar, per_jaar in b.groupby("peiljaar"):
        peiljaar = int(peiljaar)
        rijen, index = [], []
        for gebied, g in per_jaar.groupby("gebied", sort=True):
            rijen.append(_enkele_jaren(g["leeftijd_van"].to_numpy("int64"), g["leeftijd_tot"].to_numpy("int64"),
                                       g["inwoners"].to_numpy("float64")))
            index.append(str(gebied))
        jaren = [peiljaar - 1 - a for a in range(MAX_LEEFTIJD + 1)]
        t = pd.DataFrame(rijen, index=pd.Index(index, name="gebied"), columns=pd.Index(jaren, name="geboortejaar"))
        t.attrs["peiljaar"] = peiljaar
        uit[peiljaar] = t.sort_index(axis=1)
    return uit


def per_vestiging(c: pd.DataFrame, vestigingen: pd.DataFrame | None, codes) -> pd.DataFrame:
    """Residents per birth year of each vestiging's area (rows: `codes`): PC3, else PC2, else the
    whole country (the sum of the PC2 areas, or of whatever the table has)."""
    codes = pd.Index(list(codes), name="vestigingscode")
    lengte = c.index.str.len()
    land = c[lengte == lengte.min()].sum()
    postcode = pd.Series("", index=codes)
    if vestigingen is not None and len(vestigingen):
        pc = vestigingen.drop_duplicates("vestigingscode").set_index("vestigingscode")["postcode"]
        postcode = pc.reindex(codes).fillna("").astype(str).str.replace(" ", "")
    uit = pd.DataFrame(np.nan, index=codes, columns=c.columns)
    for n in GEBIEDEN:
        open_ = uit.iloc[:, 0].isna()
        sleutel = postcode[open_].str[:n]
        gevonden = sleutel[sleutel.isin(c.index)]
        if len(gevonden):
            uit.loc[gevonden.index] = c.loc[gevonden.to_numpy()].to_numpy()
    rest = uit.iloc[:, 0].isna()
    uit.loc[rest] = np.tile(land.to_numpy(), (int(rest.sum()), 1))
    uit.attrs["peiljaar"] = c.attrs.get("peiljaar")
    uit.attrs["zonder_gebied"] = int(rest.sum())
    return uit


def groei(per_v: pd.DataFrame, doel: list[int], basis: list[int]) -> pd.Series:
    """Per vestiging: residents born in the `doel` years over those born in the `basis` years
    (NaN where a year is outside the table or the basis has none)."""
    def som(jaren):
        if not set(jaren) <= set(per_v.columns):
            return pd.Series(np.nan, index=per_v.index)
        return per_v[jaren].sum(axis=1)

    b = som(basis)
    return som(doel) / b.where(b > 0)
