"""Give every vestiging with students a region in the example indeling.

DUO's address list ("Alle vestigingen vo") is a monthly snapshot; a vestiging that closed or
was renamed before the snapshot still has students in an older count but no address, so no
nodaal gebied. Left out, its students silently vanish from every region. They are placed by
a fixed chain, each step recorded (docs/assumptions.md, "Niet ingedeeld"):

1. ``brin``: the other vestigingen of the same instelling (BRIN) all lie in one region;
2. ``gemeente``: the vestiging's gemeente, as DUO's exam files name it, or as its place name
   lies in GeoNames, lies in one region (`gemeente_regios`);
3. ``locatie``: its location (exact point or postcode centroid) lies in such a gemeente.

A gemeente lies in a region when all its vestigingen do; a gemeente without any vo vestiging
lies in the region it shares the longest border with (nodale gebieden are whole gemeenten, and
the address list only names gemeenten that have a school).

What the chain cannot place stays out of every region and is listed as "niet ingedeeld".
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

METHODEN = {
    "brin": "andere vestigingen van dezelfde instelling (BRIN) liggen allemaal in deze regio",
    "gemeente": "de gemeente van de vestiging (DUO-examenbestand of plaatsnaam) ligt in deze regio",
    "locatie": "de locatie van de vestiging (punt of postcode) ligt in een gemeente van deze regio",
}
TOEGEWEZEN_KOLOMMEN = ["vestigingscode", "vestigingsnaam", "plaatsnaam", "regionummer", "regionaam", "methode",
                       "via"]


def norm(naam) -> str:
    """A place or gemeente name compared without case, accents or punctuation ('Damwâld' = 'DAMWALD')."""
    s = unicodedata.normalize("NFKD", str(naam or "")).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


def _eenduidig(paren: pd.DataFrame, sleutel: str) -> dict:
    """sleutel -> regionummer where every row of that key lies in one region."""
    g = paren.dropna(subset=[sleutel]).groupby(sleutel)["regionummer"].agg(lambda s: set(s))
    return {k: next(iter(v)) for k, v in g.items() if len(v) == 1}


def gemeente_regios(tabel: pd.DataFrame, adressen: pd.DataFrame, gemeenten) -> pd.DataFrame:
    """statcode ('GM0014'), statnaam, regionummer, bron ('vestigingen' or 'buur') for every gemeente
    that lies in one region. A gemeente whose vestigingen lie in several regions is left out."""
    import shapely

    paren = tabel[["vestigingscode", "regionummer"]].merge(adressen[["vestigingscode", "gemeentecode"]],
                                                          on="vestigingscode")
    paren["statcode"] = "GM" + paren["gemeentecode"].astype(str)
    regio = _eenduidig(paren, "statcode")
    gedeeld = set(paren["statcode"]) - set(regio)
    codes = [str(c) for c in gemeenten["statcode"]]
    geoms = list(gemeenten.geometry)
    bron = {c: "vestigingen" for c in regio}
    boom = shapely.STRtree(geoms)
    for _ in range(10):  # spread over neighbours, a ring at a time (islands first meet the coast)
        nieuw = {}
        for i, c in enumerate(codes):
            if c in regio or c in gedeeld or geoms[i] is None:
                continue
            lengte: dict[int, float] = {}
            for j in boom.query(geoms[i].buffer(0.01)):
                nr = regio.get(codes[j])
                if nr is not None and j != i:
                    d = shapely.distance(geoms[i], geoms[j])
                    gedeelde_rand = geoms[i].boundary.intersection(geoms[j].buffer(0.002)).length
                    lengte[nr] = lengte.get(nr, 0.0) + gedeelde_rand + (1e-9 if d < 0.01 else 0.0)
            if lengte:
                nieuw[c] = max(sorted(lengte), key=lambda n: lengte[n])
        if not nieuw:
            break
        regio.update(nieuw)
        bron.update({c: "buur" for c in nieuw})
    namen = dict(zip(codes, gemeenten["statnaam"], strict=True))
    return pd.DataFrame([{"statcode": c, "statnaam": namen[c], "regionummer": int(nr), "bron": bron[c]}
                         for c, nr in regio.items()], columns=["statcode", "statnaam", "regionummer", "bron"])


def vul_aan(tabel: pd.DataFrame, adressen: pd.DataFrame, zonder_adres: pd.DataFrame,
            examengemeenten: pd.DataFrame | None = None, plaatsen: pd.DataFrame | None = None,
            locaties: pd.DataFrame | None = None, gemeenten=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add the vestigingen of `zonder_adres` (vestigingscode, vestigingsnaam, plaatsnaam) to the
    indeling `tabel` where the chain places them. Returns (new tabel, one row per placed vestiging).

    adressen: the address list (vestigingscode, instellingscode, gemeentecode, gemeentenaam);
    examengemeenten: vestigingscode, gemeentenaam; plaatsen: plaats, gemeentenaam (GeoNames);
    locaties: vestigingscode, lon, lat; gemeenten: polygons with statcode ('GM0014').
    """
    namen = tabel.drop_duplicates("regionummer").set_index("regionummer")["regionaam"]
    ingedeeld = tabel[["vestigingscode", "regionummer"]].merge(
        adressen[["vestigingscode", "gemeentecode", "gemeentenaam"]], on="vestigingscode", how="left")
    ingedeeld["brin"] = ingedeeld["vestigingscode"].str[:4]
    ingedeeld["gemeente"] = ingedeeld["gemeentenaam"].map(norm)
    per_brin = _eenduidig(ingedeeld, "brin")
    per_gemeente = _eenduidig(ingedeeld, "gemeente")
    per_gemeentecode = {k[2:]: v for k, v in _eenduidig(
        ingedeeld.assign(statcode="GM" + ingedeeld["gemeentecode"].astype(str)), "statcode").items()}
    buren: dict[str, str] = {}
    if gemeenten is not None:
        gr = gemeente_regios(tabel, adressen, gemeenten)
        for r in gr.itertuples():
            per_gemeente.setdefault(norm(r.statnaam), r.regionummer)
            per_gemeentecode.setdefault(r.statcode[2:], r.regionummer)
            if r.bron == "buur":
                buren[norm(r.statnaam)] = f"gemeente {r.statnaam} heeft geen vo-vestiging in het adressenbestand en " \
                                          "grenst het langst aan deze regio"

    gemeente_van: dict[str, tuple[str, str]] = {}  # code -> (normalised gemeente, where it came from)
    if examengemeenten is not None and len(examengemeenten):
        for code, gem in examengemeenten.dropna().drop_duplicates("vestigingscode").itertuples(index=False):
            gemeente_van[code] = (norm(gem), f"gemeente {gem} (DUO-examenbestand)")
    plaats_naar_gemeente: dict[str, str] = {}
    if plaatsen is not None and len(plaatsen):
        p = plaatsen.assign(p=plaatsen["plaats"].map(norm)).drop_duplicates(["p", "gemeentenaam"])
        enkel = p.groupby("p")["gemeentenaam"].agg(list)
        plaats_naar_gemeente = {k: v[0] for k, v in enkel.items() if len(v) == 1}

    rijen = []
    over = zonder_adres[~zonder_adres["vestigingscode"].isin(tabel["vestigingscode"])].drop_duplicates("vestigingscode")
    for r in over.itertuples(index=False):
        code, nr, methode, via = r.vestigingscode, None, None, ""
        if code[:4] in per_brin:
            nr, methode = per_brin[code[:4]], "brin"
            via = "BRIN " + code[:4]
        if nr is None:
            gem, bron = gemeente_van.get(code, (None, ""))
            if gem is None and norm(r.plaatsnaam) in plaats_naar_gemeente:
                g = plaats_naar_gemeente[norm(r.plaatsnaam)]
                gem, bron = norm(g), f"plaats {r.plaatsnaam} ligt in gemeente {g} (GeoNames)"
            if gem is not None and gem in per_gemeente:
                nr, methode, via = per_gemeente[gem], "gemeente", bron + ("; " + buren[gem] if gem in buren else "")
        if nr is None and locaties is not None and gemeenten is not None:
            punt = locaties[locaties["vestigingscode"] == code]
            if len(punt):
                import shapely

                pt = shapely.points(float(punt["lon"].iloc[0]), float(punt["lat"].iloc[0]))
                raak = [str(s) for s, g in zip(gemeenten["statcode"], gemeenten.geometry, strict=True)
                        if g is not None and g.contains(pt)]
                gc = raak[0][2:] if raak else None
                if gc in per_gemeentecode:
                    nr, methode, via = per_gemeentecode[gc], "locatie", f"locatie in gemeente {raak[0]}"
        if nr is not None:
            rijen.append({"vestigingscode": code, "vestigingsnaam": r.vestigingsnaam, "plaatsnaam": r.plaatsnaam,
                          "regionummer": int(nr), "regionaam": namen[nr], "methode": methode, "via": via})
    toegewezen = pd.DataFrame(rijen, columns=TOEGEWEZEN_KOLOMMEN)
    if toegewezen.empty:
        return tabel, toegewezen
    nieuw = pd.concat([tabel, toegewezen[["regionummer", "regionaam", "vestigingscode"]]], ignore_index=True)
    return nieuw.sort_values(["regionummer", "vestigingscode"]).reset_index(drop=True), toegewezen
