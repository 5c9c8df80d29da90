"""The portrait of a selection of regions: students in leerjaar 3-4 per vestiging x leerweg x
profiel, the technical share, techniekarm and the composition rule.

Suppressed DUO cells (`<5`) are never guessed: every sum adds the known counts and says how
many suppressed cells it skipped (`onderdrukt`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from .. import rules
from ..errors import SelectieFout
from .regios import Indeling

SLEUTEL = ["vestigingscode", "leerweg", "categorie", "profiel"]


def leerlingen_lj34(leerlingen: pd.DataFrame, jaar: int) -> pd.DataFrame:
    """vmbo students in leerjaar 3-4 of one teldatum year, per vestiging x leerweg x profiel.

    Only *deelnemende* vestigingen appear: those with vmbo students in leerjaar 3-4 (a known
    count above 0, or a suppressed `<5` cell). This is the one definition every surface uses.
    """
    d = leerlingen[(leerlingen["jaar"] == jaar) & leerlingen["leerweg"].notna() & leerlingen["leerjaar"].isin([3, 4])]
    namen = d.groupby("vestigingscode", as_index=False)[["vestigingsnaam", "plaatsnaam"]].first()
    g = (d.groupby(SLEUTEL, dropna=False, as_index=False)
         .agg(aantal=("aantal", "sum"), onderdrukt=("onderdrukt", "sum")))
    g["aantal"] = g["aantal"].astype("int64")
    g["onderdrukt"] = g["onderdrukt"].astype("int64")
    g = g[(g["aantal"] > 0) | (g["onderdrukt"] > 0)]
    return g.merge(namen, on="vestigingscode", how="left").reset_index(drop=True)


@dataclass
class Portret:
    """Figures for the union of the selected regions (or the whole country)."""

    jaar: int
    regios: list[dict]
    indeling: Indeling
    definitie: rules.Definitie
    tabel: pd.DataFrame  # per vestiging x leerweg x categorie x profiel: aantal, onderdrukt
    demo: bool = False
    bronnen: list[str] = field(default_factory=list)
    arbeidsmarkt: pd.DataFrame | None = None  # vestigingscode -> arbeidsmarktregio

    @property
    def teldatum(self) -> str:
        return rules.teldatum(self.jaar)

    @property
    def landelijk(self) -> bool:
        return not self.regios

    # -- sums -----------------------------------------------------------------------------
    def leerlingen(self) -> dict[str, int]:
        s = self.tabel.groupby("leerweg")["aantal"].sum()
        return {lw: int(s.get(lw, 0)) for lw in rules.LEERWEGEN}

    def profielen(self) -> dict[str, int]:
        s = self.tabel[self.tabel["categorie"] == "profiel"].groupby("profiel")["aantal"].sum()
        return {p: int(s.get(p, 0)) for p in rules.PROFIELEN}

    def routes(self) -> int:
        return int(self.tabel.loc[self.tabel["categorie"] == "route", "aantal"].sum())

    def oude_programmas(self) -> int:
        return int(self.tabel.loc[self.tabel["categorie"] == "oud", "aantal"].sum())

    @cached_property
    def _techniek(self) -> pd.DataFrame:
        """The rows in the technical profielen, filtered once: a national overview asks every
        region's portrait for several figures built on them."""
        return self.tabel[self.tabel["profiel"].isin(self.definitie.teller_profielen)]

    def techniek(self) -> int:
        return int(self._techniek["aantal"].sum())

    def noemer(self) -> int:
        return int(self.tabel.loc[self.tabel["leerweg"].isin(self.definitie.noemer_leerwegen), "aantal"].sum())

    def techniekaandeel(self) -> float | None:
        n = self.noemer()
        return self.techniek() / n if n else None

    def techniekarm(self) -> bool | None:
        a = self.techniekaandeel()
        return None if a is None else a < self.definitie.drempel

    def per_ronde(self) -> dict[str, dict]:
        """The technical share and verdict under every regulation round's definition: where the
        denominators disagree, the page shows both verdicts."""
        uit = {}
        for naam, d in rules.DEFINITIES.items():
            if d is self.definitie:
                a = self.techniekaandeel()
            else:
                n = int(self.tabel.loc[self.tabel["leerweg"].isin(d.noemer_leerwegen), "aantal"].sum())
                t = int(self.tabel.loc[self.tabel["profiel"].isin(d.teller_profielen), "aantal"].sum())
                a = t / n if n else None
            uit[d.ronde] = {"definitie": naam, "techniekaandeel": None if a is None else round(a, 6),
                            "techniekarm": None if a is None else a < d.drempel}
        return uit

    def vestigingen(self) -> int:
        return int(self.tabel["vestigingscode"].nunique())

    def vestigingen_met_techniek(self) -> int:
        return int(self._techniek["vestigingscode"].nunique())

    def instellingen_met_techniek(self) -> int:
        return int(self._techniek["vestigingscode"].str[:4].nunique())

    def twee_scholen_regel(self) -> bool:
        return self.vestigingen_met_techniek() >= rules.MINIMUM_VESTIGINGEN_MET_TECHNIEK

    def onderdrukt(self) -> int:
        return int(self.tabel["onderdrukt"].sum())

    # -- tables ---------------------------------------------------------------------------
    def profiel_x_leerweg(self) -> pd.DataFrame:
        """Students per profiel (rows: ten profielen, routes, old programmes, no profiel) x leerweg."""
        t = self.tabel.copy()
        t["rij"] = t["profiel"].where(t["categorie"] == "profiel", t["categorie"].map(
            {"route": "Vakmanschaps-/Beroepsroute", "oud": "Oud sectorprogramma", "geen": "Geen profiel (TL)"}))
        p = t.pivot_table(index="rij", columns="leerweg", values="aantal", aggfunc="sum", fill_value=0)
        volgorde = [*rules.PROFIELEN, "Vakmanschaps-/Beroepsroute", "Oud sectorprogramma", "Geen profiel (TL)"]
        p = p.reindex(index=[r for r in volgorde if r in p.index], columns=list(rules.LEERWEGEN), fill_value=0)
        return p.astype("int64")


def kies_jaar(jaren: list[int], jaar: int | None) -> int:
    """The teldatum year asked for (default: the latest in the data), checked."""
    if jaar is None:
        return max(jaren)
    if jaar not in jaren:
        raise SelectieFout(f"Het jaar {jaar} zit niet in de data; beschikbaar: " + ", ".join(map(str, jaren)) + ".")
    return jaar


def kies_definitie(naam: str | None) -> rules.Definitie:
    naam = rules.RONDE_DEFINITIE.get(naam, naam) if naam else rules.STANDAARD_DEFINITIE  # a round names its definition
    if naam not in rules.DEFINITIES:
        raise SelectieFout(f"Onbekende definitie '{naam}'; kies uit: " + ", ".join([*rules.DEFINITIES, *rules.RONDES]) + ".")
    return rules.DEFINITIES[naam]


@dataclass
class Basis:
    """Leerjaar 3-4 counts of one year with each vestiging's region: computed once, then every
    selection is a filter on it (this is what keeps a tick in the dashboard fast)."""

    jaar: int
    tabel: pd.DataFrame
    indeling: Indeling
    demo: bool
    bronnen: list[str]
    arbeidsmarkt: pd.DataFrame | None = None

    def portret(self, regios: list[int] | None = None, definitie: str | None = None) -> Portret:
        regios = list(regios or [])
        t = self.tabel[self.tabel["regionummer"].isin(regios)] if regios else self.tabel
        lijst = [{"regionummer": n, "regionaam": self.indeling.naam(n)} for n in regios]
        return Portret(self.jaar, lijst, self.indeling, kies_definitie(definitie), t.reset_index(drop=True),
                       self.demo, self.bronnen, self.arbeidsmarkt)

    def samenstelling(self, codes: list[str], nummer: int, naam: str, definitie: str | None = None) -> Portret:
        """The portrait of a region being composed (region builder): these vestigingen, this number."""
        t = self.tabel[self.tabel["vestigingscode"].isin(codes)].assign(regionummer=nummer)
        t["regionummer"] = t["regionummer"].astype("Int64")
        return Portret(self.jaar, [{"regionummer": int(nummer), "regionaam": naam}], self.indeling,
                       kies_definitie(definitie), t.reset_index(drop=True), self.demo, self.bronnen, self.arbeidsmarkt)

    def portretten(self, definitie: str | None = None) -> list[Portret]:
        d = kies_definitie(definitie)
        groepen = dict(tuple(self.tabel.groupby("regionummer")))
        return [Portret(self.jaar, [{"regionummer": int(nr), "regionaam": naam}], self.indeling, d,
                        groepen.get(nr, self.tabel.iloc[0:0]).reset_index(drop=True), self.demo, self.bronnen,
                        self.arbeidsmarkt)
                for nr, naam in self.indeling.regios[["regionummer", "regionaam"]].itertuples(index=False)]


def basis(rijen: pd.DataFrame, indeling: Indeling, jaar: int, *, demo: bool = False,
          bronnen: list[str] | None = None, koppeling: pd.DataFrame | None = None) -> Basis:
    """The counts of year `jaar` from the bovenbouw rows (all years is fine), each vestiging
    with its region. `koppeling`: vestigingscode -> arbeidsmarktregio."""
    t = leerlingen_lj34(rijen, jaar)
    t = t.merge(indeling.tabel[["vestigingscode", "regionummer"]], on="vestigingscode", how="left")
    t["regionummer"] = t["regionummer"].astype("Int64")
    return Basis(jaar, t, indeling, demo, list(bronnen or []), koppeling)
