"""Scenarios: what changes for a selection when a vestiging stops or starts a technical profiel.

Pure: handed the counts of one teldatum (`Basis`), the school locations and the coverage basis.
A stopped offer's students (leerjaar 3-4, every leerweg) go to the nearest vestiging, straight
line, that still offers the profiel after the whole scenario (`AANNAME`, printed on the page);
a started offer has no students yet but shortens the distance for the young residents near it.
Everything else (the key figures, the techniekarm verdicts of both rounds, the budget count,
the coverage) is computed as for any selection, so a scenario's 'before' column equals the bundle.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .. import rules
from ..errors import SelectieFout
from ..formule import formulevrij
from . import dekking as dekkingmodel
from .portret import SLEUTEL, Basis, Portret
from .selectie import Kerncijfers

ACTIES = ("stopt", "start")
AANNAME = ("Aanname: de leerlingen (leerjaar 3-4) van een profiel dat stopt, gaan naar de dichtstbijzijnde vestiging "
           "(hemelsbreed) die dat profiel na dit scenario nog aanbiedt, in dezelfde leerweg; een profiel dat start, "
           "heeft nog geen leerlingen maar telt mee voor de afstand. Overige vestigingen blijven zoals ze zijn.")
CSV_KOLOMMEN = ("vestigingscode", "profiel", "wijziging")


@dataclass(frozen=True)
class Wijziging:
    vestigingscode: str
    profiel: str  # a technical profiel's code (BWI, PIE, MTR, MTE, MVI)
    actie: str  # 'stopt' or 'start'

    def tekst(self) -> str:
        return f"{self.vestigingscode} {rules.PROFIEL_AFKORTING[self.profiel]} {self.actie}"


@dataclass(frozen=True)
class Uitkomst:
    """A scenario's effect on one selection: before and after, computed the same way."""

    wijzigingen: tuple[Wijziging, ...]
    voor: Kerncijfers  # equal to the selection bundle's key figures
    na: Kerncijfers
    dekking_voor: tuple[dict, ...]
    dekking_na: tuple[dict, ...]
    verplaatst: tuple[dict, ...]  # vestigingscode, profiel, leerlingen, onderdrukt, naar, naar_regio, km
    ronde: str  # the regulation round whose definition the share applies
    teldatum: str
    aanname: str = AANNAME
    dekking_methode: str = ""  # the coverage basis's method and sources (empty without one)
    dekking_bron: str = ""

    @property
    def verschil(self) -> dict[str, float]:
        """The change of each figure the page shows (after minus before; the share as a fraction)."""
        return {k: getattr(self.na, k) - getattr(self.voor, k)
                for k in ("techniek", "techniekaandeel", "budget_leerlingen", "vestigingen_met_techniek")}

    def als_dict(self) -> dict:
        return {"wijzigingen": [{"vestigingscode": w.vestigingscode, "profiel": w.profiel, "wijziging": w.actie}
                                for w in self.wijzigingen],
                "voor": self.voor.als_dict(), "na": self.na.als_dict(), "dekking_voor": [dict(d) for d in self.dekking_voor],
                "dekking_na": [dict(d) for d in self.dekking_na], "verplaatst": [dict(v) for v in self.verplaatst],
                "verschil": self.verschil, "ronde": self.ronde, "teldatum": self.teldatum, "aanname": self.aanname}


def profielcode(waarde: str) -> str:
    """A technical profiel by code (MTR) or by the abbreviation the pages print (M&T)."""
    code = rules.technisch_profiel(waarde)
    if code is not None:
        return code
    w = str(waarde).strip()
    raise SelectieFout(f"'{w[:20]}' is geen technisch profiel; kies uit "
                       + ", ".join(rules.PROFIEL_AFKORTING[p] for p in rules.TECHNISCHE_PROFIELEN) + ".")


def controleer(wijzigingen, aanbod: dict[str, list[str]], bekend: set[str]) -> tuple[Wijziging, ...]:
    """The scenario's changes, each checked: a known vestiging, a technical profiel, a stop only
    where the profiel is offered, a start only where it is not; a later change of the same
    vestiging and profiel replaces an earlier one."""
    uit: dict[tuple[str, str], Wijziging] = {}
    for w in wijzigingen:
        code, profiel = str(w.vestigingscode).strip().upper(), profielcode(w.profiel)
        if w.actie not in ACTIES:
            raise SelectieFout(f"Onbekende wijziging '{str(w.actie)[:20]}'; kies 'stopt' of 'start'.")
        if code not in bekend:
            raise SelectieFout(f"Vestiging {code[:12]} zit niet in de data.")
        biedt = code in set(aanbod.get(profiel, []))
        if w.actie == "stopt" and not biedt:
            raise SelectieFout(f"Vestiging {code} heeft geen leerlingen in {rules.PROFIEL_AFKORTING[profiel]}: "
                               "er is niets om te stoppen.")
        if w.actie == "start" and biedt:
            raise SelectieFout(f"Vestiging {code} biedt {rules.PROFIEL_AFKORTING[profiel]} al aan.")
        uit.pop((code, profiel), None)
        uit[(code, profiel)] = Wijziging(code, profiel, w.actie)
    return tuple(uit.values())


def aanbod_na(aanbod: dict[str, list[str]], wijzigingen: tuple[Wijziging, ...]) -> dict[str, list[str]]:
    """profiel -> the vestigingen offering it after the scenario."""
    na = {p: set(c) for p, c in aanbod.items()}
    for w in wijzigingen:
        (na.setdefault(w.profiel, set()).discard if w.actie == "stopt" else na.setdefault(w.profiel, set()).add)(
            w.vestigingscode)
    return {p: sorted(c) for p, c in na.items()}


def _punten(locaties: pd.DataFrame) -> dict[str, tuple[float, float]]:
    loc = locaties.drop_duplicates("vestigingscode")
    return dict(zip(loc["vestigingscode"], zip(loc["lat"].astype(float), loc["lon"].astype(float), strict=True),
                    strict=True))


def verplaats(tabel: pd.DataFrame, locaties: pd.DataFrame, wijzigingen: tuple[Wijziging, ...],
              aanbod: dict[str, list[str]], regio_van: dict[str, int]) -> tuple[pd.DataFrame, tuple[dict, ...]]:
    """The counts after the scenario: each stopped offer's rows moved to the nearest remaining
    offer (same leerweg), with that vestiging's region. A stopped offer without a location or
    without any remaining offer in the country keeps its students where they are, and says so."""
    na = aanbod_na(aanbod, wijzigingen)
    punt = _punten(locaties)
    t = tabel
    namen = t.groupby("vestigingscode")[["vestigingsnaam", "plaatsnaam"]].first()
    verplaatst = []
    for w in (x for x in wijzigingen if x.actie == "stopt"):
        rijen = (t["vestigingscode"] == w.vestigingscode) & (t["profiel"] == w.profiel)
        n, onderdrukt = int(t.loc[rijen, "aantal"].sum()), int(t.loc[rijen, "onderdrukt"].sum())
        kandidaten = [c for c in na.get(w.profiel, []) if c in punt]
        rij = {"vestigingscode": w.vestigingscode, "profiel": w.profiel, "leerlingen": n, "onderdrukt": onderdrukt,
               "naar": None, "naar_regio": None, "km": None}
        if w.vestigingscode in punt and kandidaten:
            lat0, lon0 = punt[w.vestigingscode]
            km = dekkingmodel.haversine_km(lat0, lon0, np.array([punt[c][0] for c in kandidaten]),
                                           np.array([punt[c][1] for c in kandidaten]))
            doel = kandidaten[int(np.argmin(km))]
            nr = regio_van.get(doel)
            t = t.copy()
            t.loc[rijen, "vestigingscode"] = doel
            t.loc[rijen, "regionummer"] = nr
            if doel in namen.index:
                t.loc[rijen, "vestigingsnaam"] = namen.at[doel, "vestigingsnaam"]
                t.loc[rijen, "plaatsnaam"] = namen.at[doel, "plaatsnaam"]
            rij.update(naar=doel, naar_regio=None if nr is None else int(nr), km=round(float(km.min()), 1))
        verplaatst.append(rij)
    if verplaatst:
        t = (t.groupby([*SLEUTEL, "regionummer"], dropna=False, as_index=False)
             .agg(aantal=("aantal", "sum"), onderdrukt=("onderdrukt", "sum"),
                  vestigingsnaam=("vestigingsnaam", "first"), plaatsnaam=("plaatsnaam", "first")))
        t["regionummer"] = t["regionummer"].astype("Int64")
    return t, tuple(verplaatst)


def afstanden_na(tabel: pd.DataFrame, locaties: pd.DataFrame, na: dict[str, list[str]],
                 profielen: set[str]) -> pd.DataFrame:
    """The coverage rows with the distance to the changed profielen recomputed (others unchanged)."""
    t = tabel.copy()
    lat, lon = t["lat"].to_numpy(float), t["lon"].to_numpy(float)
    for p in profielen:
        t[f"km_{p}"] = dekkingmodel.afstand_tot(lat, lon, locaties, na.get(p, []))
    return t


def doorreken(basis: Basis, locaties: pd.DataFrame, dekking: dict | None, wijzigingen,
              regios: list[int] | None = None, vestigingen: list[str] | None = None, nummer: int = 0,
              naam: str = "Nieuwe regio", definitie: str | None = None) -> Uitkomst:
    """A scenario on a selection (regions, or the builder's loose vestigingen)."""
    aanbod = dekking["aanbod"] if dekking is not None else dekkingmodel.aanbod_van(basis.tabel)
    bekend = set(basis.tabel["vestigingscode"]) | set(locaties["vestigingscode"])
    wijzigingen = controleer(wijzigingen, aanbod, bekend)
    ind = basis.indeling.tabel
    regio_van = dict(zip(ind["vestigingscode"], ind["regionummer"].astype(int), strict=True))
    tabel, verplaatst = verplaats(basis.tabel, locaties, wijzigingen, aanbod, regio_van)
    na_basis = replace(basis, tabel=tabel)

    def portret(b: Basis) -> Portret:
        return b.samenstelling(list(vestigingen), nummer, naam, definitie) if vestigingen is not None \
            else b.portret(regios, definitie)

    if vestigingen is not None:
        codes = set(vestigingen)
    elif regios:
        codes = set(ind.loc[ind["regionummer"].isin(regios), "vestigingscode"])
    else:
        codes = None
    voor_d = na_d = ()
    if dekking is not None:
        na = aanbod_na(aanbod, wijzigingen)
        d = dekking["tabel"]
        d = d if codes is None else d[d["dichtstbij"].isin(codes)]
        voor_d = dekkingmodel.samenvatting(d, aanbod, codes)
        na_d = dekkingmodel.samenvatting(afstanden_na(d, locaties, na, {w.profiel for w in wijzigingen}), na, codes)
    voor = portret(basis)
    return Uitkomst(wijzigingen, Kerncijfers.van(voor), Kerncijfers.van(portret(na_basis)), voor_d, na_d,
                    verplaatst, voor.definitie.ronde, voor.teldatum, dekking_methode=dekking.get("methode", "") if dekking else "",
                    dekking_bron=dekking.get("bron", "") if dekking else "")


# -- the scenario file -------------------------------------------------------------------------
def scenario_csv(wijzigingen) -> str:
    """A scenario as a small CSV (vestigingscode;profiel;wijziging), like an indeling."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(CSV_KOLOMMEN)
    w.writerows([formulevrij(c) for c in (x.vestigingscode, rules.PROFIEL_AFKORTING[x.profiel], x.actie)]
                for x in wijzigingen)
    return buf.getvalue()


def van_tabel(t: pd.DataFrame) -> tuple[Wijziging, ...]:
    """The changes of a scenario file read by sources.scenario."""
    return tuple(Wijziging(r.vestigingscode, r.profiel, r.wijziging) for r in t.itertuples(index=False))
