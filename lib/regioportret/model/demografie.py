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
ENKELE_JAREN = ("De leeftijdsgroepen van vijf jaar zijn over de afzonderlijke jaren verdeeld langs een rechte lijn "
                "tussen de middens van de groepen (elke groep houdt haar eigen totaal).")
METHODE = ENKELE_JAREN + (" Een vestiging telt met de inwoners van haar postcodegebied van drie cijfers (anders twee, "
                          "anders het land).")
HERKOMST_BRON = "DUO, leerlingen vo per vestiging naar postcode leerling"
HERKOMST_METHODE = ENKELE_JAREN + (
    " Een vestiging telt met de inwoners van de postcodegebieden (4 cijfers) waar haar leerlingen wonen: van elk gebied "
    "het deel van zijn vo-leerlingen dat naar deze vestiging gaat. Een vestiging die daar niet in staat, telt met haar "
    "postcodegebied van drie cijfers (anders twee, anders het land).")


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


def _met_grovere_gebieden(b: pd.DataFrame) -> pd.DataFrame:
    """Add the PC3 and PC2 areas a table lacks as sums of its PC4 areas (CBS publishes PC4 only;
    a vestiging counts with its PC3 or PC2 area)."""
    gebied = b["gebied"].astype(str)
    fijnst = gebied.str.len().max()
    delen = [b]
    for n in GEBIEDEN:
        if n < fijnst and not (gebied.str.len() == n).any():
            fijn = b[gebied.str.len() == fijnst]
            som = (fijn.assign(gebied=gebied[fijn.index].str[:n])
                   .groupby(["gebied", "leeftijd_van", "leeftijd_tot"], as_index=False)["inwoners"].sum())
            delen.append(som)
    return pd.concat(delen, ignore_index=True)


def cohorten(bevolking: pd.DataFrame | None) -> dict[int, pd.DataFrame]:
    """Per peiljaar: residents per postcode area (rows: the area's code, '97', '971', '9711') and
    birth year (columns), from the postcode tables with a known peiljaar (none: an empty dict;
    without a peiljaar an age cannot be turned into a birth year). A forecast from an origin
    uses only a count made by then."""
    if bevolking is None or bevolking.empty:
        return {}
    b = bevolking[(bevolking["soort"] == "postcode") & bevolking["peiljaar"].notna()
                  & bevolking["inwoners"].notna() & (bevolking["leeftijd_van"] <= MAX_LEEFTIJD)]
    uit = {}
    for peiljaar, per_jaar in b.groupby("peiljaar"):
        peiljaar = int(peiljaar)
        per_jaar = _met_grovere_gebieden(per_jaar)
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


PO_TYPES = ("BO", "SBO", "")  # the primary-school pupils who may enter vmbo (not SO: special schools)
PO_BRON = "DUO, leerlingen primair onderwijs per gemeente naar leeftijd"
PO_METHODE = ("De kinderen van elk geboortejaar zijn de leerlingen in het basisonderwijs (bo en sbo) van die leeftijd "
              "op 1 oktober, in de gemeente van de vestiging (anders het land).")


def po_cohorten(po: pd.DataFrame | None) -> dict[int, pd.DataFrame]:
    """Per peiljaar: primary-school pupils (DUO, counted 1 October) per gemeente (rows 'GM0363')
    and birth year (columns): aged a on 1 October P is mostly born in P - a. Suppressed cells
    count by the one rule for '<5' (model.onderdrukking). From DUO's per-gemeente file only
    (the per-vestiging file has no place to put a primary school in)."""
    from .onderdrukking import waarde

    if po is None or po.empty:
        return {}
    d = po[(po["soort"] == "gemeente") & po["type_po"].isin(PO_TYPES)]
    uit = {}
    for peiljaar, per_jaar in d.groupby("peiljaar"):
        peiljaar = int(peiljaar)
        n = waarde(per_jaar["aantal"], per_jaar["onderdrukt"])
        t = (per_jaar.assign(n=n.to_numpy(), geboortejaar=peiljaar - per_jaar["leeftijd"])
             .pivot_table(index="gebied", columns="geboortejaar", values="n", aggfunc="sum", fill_value=0.0))
        t.index.name, t.columns.name = "gebied", "geboortejaar"
        t.attrs["peiljaar"] = peiljaar
        uit[peiljaar] = t.astype("float64").sort_index(axis=1)
    return uit


def geboortecohorten(bevolking: pd.DataFrame | None, po: pd.DataFrame | None) -> tuple[dict[int, pd.DataFrame], str, str]:
    """The children already born, by the best input the data has: DUO's primary-school pupils
    by age per gemeente, else CBS residents by age per postcode area. (peiljaar -> table,
    source, method in Dutch)."""
    uit = po_cohorten(po)
    if uit:
        return uit, PO_BRON, PO_METHODE
    return cohorten(bevolking), BRON, METHODE


def gebied_van(c: pd.DataFrame, vestigingen: pd.DataFrame | None, codes) -> pd.Series:
    """The area each vestiging counts with (index: `codes`): for a table per gemeente its
    gemeente; for a postcode table its PC3 area when the table has it, else its PC2 area; else
    '' (the whole country)."""
    codes = pd.Index(list(codes), name="vestigingscode")
    postcode = pd.Series("", index=codes)
    uit = pd.Series("", index=codes, name="gebied")
    if c.index.astype(str).str.startswith("GM").all():
        if vestigingen is not None and len(vestigingen) and "gemeentecode" in vestigingen:
            gm = vestigingen.drop_duplicates("vestigingscode").set_index("vestigingscode")["gemeentecode"]
            sleutel = ("GM" + gm.reindex(codes).fillna("").astype(str).str.zfill(4)).where(
                gm.reindex(codes).fillna("") != "", "")
            uit[sleutel.isin(c.index)] = sleutel[sleutel.isin(c.index)]
        return uit
    if vestigingen is not None and len(vestigingen):
        pc = vestigingen.drop_duplicates("vestigingscode").set_index("vestigingscode")["postcode"]
        postcode = pc.reindex(codes).fillna("").astype(str).str.replace(" ", "")
    for n in GEBIEDEN:
        open_ = uit == ""
        sleutel = postcode[open_].str[:n]
        gevonden = sleutel[sleutel.isin(c.index) & (sleutel.str.len() == n)]
        uit.loc[gevonden.index] = gevonden
    return uit


def _land(c: pd.DataFrame) -> pd.Series:
    """The whole country: the sum of the coarsest areas in the table (every gemeente)."""
    lengte = c.index.str.len()
    return c[lengte == lengte.min()].sum()


def herkomst(woonplaatsen: pd.DataFrame | None, tot_jaar: int) -> tuple[pd.DataFrame, int] | None:
    """Where each vestiging's pupils live: per vestiging (rows) and home PC4 (columns) the share
    of that PC4's vo pupils who go to the vestiging, from DUO's newest file of pupils by home
    postcode with a teldatum year up to `tot_jaar` (no later file: no hindsight). Suppressed
    cells count by the one rule for '<5'. None without such a file."""
    from .onderdrukking import waarde

    if woonplaatsen is None or woonplaatsen.empty:
        return None
    jaren = [int(j) for j in woonplaatsen["jaar"].unique() if int(j) <= tot_jaar]
    if not jaren:
        return None
    w = woonplaatsen[woonplaatsen["jaar"] == max(jaren)]
    t = (w.assign(n=waarde(w["aantal"], w["onderdrukt"]).to_numpy(), pc4=w["pc4"].astype(str))
         .pivot_table(index="vestigingscode", columns="pc4", values="n", aggfunc="sum", fill_value=0.0))
    totaal = t.sum(axis=0)
    return (t / totaal.where(totaal > 0)).fillna(0.0), max(jaren)


def per_vestiging(c: pd.DataFrame, vestigingen: pd.DataFrame | None, codes,
                  herkomst: tuple[pd.DataFrame, int] | None = None) -> pd.DataFrame:
    """Residents per birth year of each vestiging's area (rows: `codes`): with `herkomst` (where
    its pupils live), its share of the residents of every PC4 its pupils come from; else (or for a
    vestiging not in it) its PC3 area, else PC2, else the whole country (the sum of the PC2
    areas, or of whatever the table has). Why the pupils' homes first: a school draws from its
    own catchment, which a postcode area around it only approximates."""
    gebied = gebied_van(c, vestigingen, codes)
    met = gebied != ""
    uit = pd.DataFrame(np.nan, index=gebied.index, columns=c.columns)
    uit.loc[met] = c.loc[gebied[met].to_numpy()].to_numpy()
    uit.loc[~met] = np.tile(_land(c).to_numpy(), (int((~met).sum()), 1))
    if herkomst is not None and not c.index.astype(str).str.startswith("GM").all():
        aandeel = herkomst[0]
        pc4 = aandeel.columns.intersection(c.index[c.index.str.len() == 4])
        a = aandeel.reindex(index=gebied.index, columns=pc4).fillna(0.0)
        eigen = a.sum(axis=1) > 0
        uit.loc[eigen] = a[eigen].to_numpy() @ c.loc[pc4].to_numpy()
        # each its own area for kruiscontrole, keyed after its postcode area so that the first
        # digit still names its landsdeel (one without a postcode area stays out, as before)
        gebied = gebied.copy()
        eigen_gebied = eigen & (gebied != "")
        gebied[eigen_gebied] = gebied[eigen_gebied] + ":" + gebied.index[eigen_gebied].astype(str)
        uit.attrs["herkomst"] = int(herkomst[1])
        uit.attrs["met_herkomst"] = int(eigen.sum())
    uit.attrs["peiljaar"] = c.attrs.get("peiljaar")
    uit.attrs["zonder_gebied"] = int((~met).sum())
    uit.attrs["gebied"] = gebied
    return uit


def kruiscontrole(tel: pd.DataFrame, per_v: pd.DataFrame, regio_van: pd.Series | None,
                  geboortejaren: list[int]) -> pd.DataFrame:
    """How well residents predict a region's pupils: each region's count (columns of `tel`, per
    vestiging) from the residents born in `geboortejaren` in its vestigingen's areas (each area
    once) times a participation rate fitted on the other half of the regions (alternate region
    numbers, two folds): the rate of that half ('helft'), or of the regions in that half whose
    areas mostly share the first postcode digit ('landsdeel'); against the national rate of all
    regions ('land'). Rows: reeks, fit, mape, n. Vestigingen without an area are left out.

    Why: the demographic method keeps each vestiging's own level and uses residents only for
    the growth of the birth cohorts; this says how far a common participation rate would be off."""
    kolommen = ["reeks", "fit", "mape", "n"]
    gebied = per_v.attrs.get("gebied")
    if regio_van is None or gebied is None or not set(geboortejaren) <= set(per_v.columns):
        return pd.DataFrame(columns=kolommen)
    d = tel.join(pd.DataFrame({"regio": regio_van.reindex(tel.index), "gebied": gebied.reindex(tel.index)}))
    d = d[d["regio"].notna() & d["gebied"].notna() & (d["gebied"] != "")]
    inwoners = per_v.loc[d.index, geboortejaren].sum(axis=1).groupby(d["gebied"]).first()
    per_regio = d.groupby("regio")[list(tel.columns)].sum()
    gebieden = d.groupby("regio")["gebied"].agg(lambda g: sorted(set(g)))
    if per_regio.empty:
        return pd.DataFrame(columns=kolommen)
    per_regio["inwoners"] = gebieden.map(lambda g: float(inwoners.reindex(g).sum())).astype("float64")
    per_regio["deel"] = gebieden.map(lambda g: pd.Series([x[0] for x in g]).mode().iloc[0])
    per_regio = per_regio[per_regio["inwoners"] > 0]
    if len(per_regio) < 2:
        return pd.DataFrame(columns=kolommen)
    nummers = sorted(per_regio.index)
    rijen = []
    for reeks in tel.columns:
        fouten = {"helft": [], "landsdeel": [], "land": []}
        land = per_regio[reeks].sum() / per_regio["inwoners"].sum()
        for vouw in (0, 1):
            toets = per_regio.loc[[n for i, n in enumerate(nummers) if i % 2 == vouw]]
            leer = per_regio.drop(toets.index)
            helft = leer[reeks].sum() / leer["inwoners"].sum()
            deel = leer.groupby("deel")[reeks].sum() / leer.groupby("deel")["inwoners"].sum()
            w = toets[reeks]
            voorspeld = {"helft": toets["inwoners"] * helft, "land": toets["inwoners"] * land,
                         "landsdeel": toets["inwoners"] * toets["deel"].map(deel).fillna(helft)}
            for fit, v in voorspeld.items():
                fouten[fit] += list(((v - w).abs() / w)[w > 0])
        rijen += [(reeks, fit, float(np.mean(f)) if f else np.nan, len(f)) for fit, f in fouten.items()]
    return pd.DataFrame(rijen, columns=kolommen)


def groei(per_v: pd.DataFrame, doel: list[int], basis: list[int]) -> pd.Series:
    """Per vestiging: residents born in the `doel` years over those born in the `basis` years
    (NaN where a year is outside the table or the basis has none)."""
    def som(jaren):
        if not set(jaren) <= set(per_v.columns):
            return pd.Series(np.nan, index=per_v.index)
        return per_v[jaren].sum(axis=1)

    b = som(basis)
    return som(doel) / b.where(b > 0)


def bron_tekst(bron: str, peiljaar: int, herkomstjaar: int | None = None) -> str:
    """The input's source and reference date, as a page names it under the forecast (and the
    file of where pupils live, when a vestiging's area comes from it)."""
    tekst = f"{bron}, {'1 oktober' if bron == PO_BRON else '1 januari'} {peiljaar}"
    return tekst if herkomstjaar is None else f"{tekst}; {HERKOMST_BRON}, 1 oktober {herkomstjaar}"


INVOER = {
    BRON: ("de inwoners naar leeftijd in het postcodegebied van de vestiging", METHODE),
    PO_BRON: ("de leerlingen in het basisonderwijs naar leeftijd in de gemeente van de vestiging", PO_METHODE),
}


def invoer(bron: str | None) -> dict[str, str]:
    """How a page describes the input named by `bron` (bron_tekst): {'invoer', 'invoer_methode'}."""
    if bron and HERKOMST_BRON in bron:
        return {"invoer": "de inwoners naar leeftijd in de postcodegebieden waar de leerlingen van de vestiging wonen",
                "invoer_methode": HERKOMST_METHODE}
    zin, methode = next((v for k, v in INVOER.items() if bron and bron.startswith(k)), INVOER[BRON])
    return {"invoer": zin, "invoer_methode": methode}
