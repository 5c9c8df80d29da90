"""Regions: which vestigingen form which STO region (the active regio-indeling)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from .. import rules
from ..errors import SelectieFout
from .indelen import TOEGEWEZEN_KOLOMMEN, vul_aan

VOORBEELD_LABEL = "voorbeeldindeling, geen officiële STO-indeling"


@dataclass
class Indeling:
    """The active indeling: one row per vestiging (regionummer, regionaam, vestigingscode)."""

    tabel: pd.DataFrame
    soort: str  # 'bestand' (given by the user), 'data' (shipped with the data), 'voorbeeld'
    label: str
    bron: str
    # vestigingen the example indeling placed by the chain of model.indelen (empty otherwise)
    toegewezen: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TOEGEWEZEN_KOLOMMEN))
    # from a file's `opmerking` column: vestigingen listed as in no region, and the edited region
    niet_ingedeeld: list[str] = field(default_factory=list)
    bewerkt: int | None = None

    @property
    def regios(self) -> pd.DataFrame:
        return (self.tabel.groupby(["regionummer", "regionaam"], as_index=False)
                .agg(vestigingen=("vestigingscode", "size")).sort_values("regionummer").reset_index(drop=True))

    def naam(self, nummer: int) -> str:
        return str(self.tabel.loc[self.tabel["regionummer"] == nummer, "regionaam"].iloc[0])

    def als_dict(self) -> dict:
        return {"soort": self.soort, "label": self.label, "bron": self.bron,
                "toegewezen": self.toegewezen.to_dict("records")}


def voorbeeldindeling(vestigingen: pd.DataFrame, zonder_adres: pd.DataFrame | None = None, **aanvulling) -> Indeling:
    """An example indeling from DUO's NODAAL GEBIED (about 80 areas), when no real one exists.

    STO regions are formed by schools themselves and DUO publishes no list of them; nodale
    gebieden are a public, complete, non-overlapping division of a similar size, built from
    whole gemeenten. Vestigingen with students but no address (`zonder_adres`) are placed by
    model.indelen's chain (`aanvulling`: its sources).
    """
    v = vestigingen[vestigingen["nodaal_code"].fillna("") != ""]
    tabel = pd.DataFrame({
        "regionummer": v["nodaal_code"].astype(int),
        "regionaam": v["nodaal_naam"],
        "vestigingscode": v["vestigingscode"],
    }).sort_values(["regionummer", "vestigingscode"]).reset_index(drop=True)
    toegewezen = pd.DataFrame(columns=TOEGEWEZEN_KOLOMMEN)
    if zonder_adres is not None and len(zonder_adres):
        tabel, toegewezen = vul_aan(tabel, vestigingen, zonder_adres, **aanvulling)
    return Indeling(tabel, "voorbeeld", VOORBEELD_LABEL, "DUO Alle vestigingen vo, kolom NODAAL GEBIED", toegewezen)


MAX_REGIOS = 200  # a selection names at most this many regions, each number at most REGIONUMMER_CIJFERS digits
_N = rules.REGIONUMMER_CIJFERS
_LIJST = re.compile(rf"^\s*\d{{1,{_N}}}\s*(,\s*\d{{1,{_N}}}\s*){{0,{MAX_REGIOS - 1}}}$")


def kies_regios(indeling: Indeling, keuze: str | int | list | None) -> list[int]:
    """Parse a selection such as '12,14' and check that every region exists."""
    if keuze is None or keuze == "" or keuze == []:
        return []
    if isinstance(keuze, int):
        nummers = [keuze]
    elif isinstance(keuze, str):
        if not _LIJST.match(keuze):
            getoond = keuze if len(keuze) <= 40 else keuze[:40] + "…"
            raise SelectieFout(f"Ongeldige regiokeuze '{getoond}': geef regionummers gescheiden door komma's, bv. "
                               f"12,14 (hoogstens {MAX_REGIOS} regio's).")
        nummers = [int(x) for x in keuze.split(",")]
    else:
        nummers = [int(x) for x in keuze]
    bestaand = set(indeling.tabel["regionummer"])
    onbekend = [n for n in nummers if n not in bestaand]
    if onbekend:
        raise SelectieFout(
            "Onbekende regio " + ", ".join(str(n) for n in onbekend) + f" in de {indeling.label}. "
            "Bestaande regionummers: " + ", ".join(str(n) for n in sorted(bestaand)) + ".")
    return list(dict.fromkeys(nummers))
