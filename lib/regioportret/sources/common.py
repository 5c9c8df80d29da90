"""Small pieces every DUO reader shares: vestigingscodes, years, layouts."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import DataFout, Probleem
from ._csv import RuweTabel

VESTIGINGSCODE = re.compile(r"^[0-9A-Z]{4}[0-9]{2}$")


@dataclass(frozen=True)
class Layout:
    """One official file layout, recognised by the columns of its header."""

    naam: str
    tabel: str  # the tidy table it feeds
    omschrijving: str
    verplicht: tuple[str, ...]
    lees: Callable[[Path], pd.DataFrame]
    # extra test on the header beyond the required columns (e.g. year columns present)
    extra: Callable[[list[str]], bool] | None = None

    def past(self, kop: list[str]) -> bool:
        return set(self.verplicht) <= set(kop) and (self.extra is None or self.extra(kop))

    def overlap(self, kop: list[str]) -> float:
        return len(set(self.verplicht) & set(kop)) / len(self.verplicht) if self.verplicht else 0.0


def twee_layouts(naam: str, tabel: str, omschrijving: str, basis: tuple[str, ...], lees,
                 extra: Callable[[list[str]], bool] | None = None) -> list[Layout]:
    """DUO's two generations of one dataset: `BRIN NUMMER` + `VESTIGINGSNUMMER` (older) and
    `INSTELLINGSCODE` + `VESTIGINGSCODE` (newer). `lees(pad, instelling, vestiging, verplicht)`."""
    uit = []
    for soort, inst, vest in (("brin", "BRIN NUMMER", "VESTIGINGSNUMMER"),
                              ("instellingscode", "INSTELLINGSCODE", "VESTIGINGSCODE")):
        verplicht = (inst, vest, *basis)

        def lezer(pad, _i=inst, _v=vest, _r=verplicht):
            return lees(Path(pad), _i, _v, _r)

        uit.append(Layout(f"duo-{naam}-{soort}", tabel, f"{omschrijving} ({inst})", verplicht, lezer, extra))
    return uit


def vestigingscodes(raw: RuweTabel, instelling: str, vestiging: str) -> pd.Series:
    """6-character vestigingscode from a 4-character BRIN/instellingscode and a 2-digit
    vestigingsnummer, or from a column that already holds the 6 characters."""
    inst = raw.df[instelling].str.upper()
    vest = raw.df[vestiging].str.upper()
    volledig = vest.str.len() == 6
    code = vest.where(volledig, inst + vest.str.zfill(2))
    fout = ~code.str.match(VESTIGINGSCODE)
    if fout.any():
        problemen = [
            Probleem(regel=raw.regel(i), kolom=vestiging, melding=f"ongeldige vestigingscode '{code[i]}'")
            for i in code.index[fout]
        ]
        raise DataFout(raw.pad, problemen,
                       verwacht="4 tekens BRIN/instellingscode + 2 cijfers vestigingsnummer, bv. 00AH17")
    return code


_JAAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)")


def jaar_uit_bestand(raw: RuweTabel, kolommen=("JAAR", "TELJAAR", "PEILJAAR")) -> int:
    """The teldatum year of a one-year DUO file.

    DUO's yearly files carry their year only in the file name (…-2019.csv); a year column,
    when a newer layout has one, wins. For school-year names (2018-2019) the first year counts.
    """
    for k in kolommen:
        if k in raw.kolommen:
            jaren = raw.df[k].str.extract(_JAAR)[0].dropna().unique()
            if len(jaren) == 1:
                return int(jaren[0])
    gevonden = _JAAR.findall(raw.pad.stem)
    if not gevonden:
        raise DataFout(raw.pad, "het jaar van de telling staat niet in de bestandsnaam en niet in een kolom JAAR",
                       verwacht="een bestandsnaam met het jaar, zoals DUO hem publiceert (…-2019.csv)")
    jaren = [int(j) for j in gevonden]
    if len(jaren) >= 2 and jaren[-1] == jaren[-2] + 1:  # school year 2018-2019 -> 2018
        return jaren[-2]
    return jaren[-1]


def classificeer(raw: RuweTabel, rijen: pd.Series, kolom: str = "AFDELING") -> tuple[pd.Series, pd.Series]:
    """(categorie, profiel) for the rows selected by `rijen`; each distinct label once.

    An unknown label is an error listing every line it occurs on.
    """
    from .. import rules

    labels = raw.df.loc[rijen, kolom]
    klassen, onbekend = {}, []
    for label in labels.unique():
        try:
            klassen[label] = rules.classificeer_afdeling(label)
        except KeyError:
            onbekend.append(label)
    if onbekend:
        fout = labels[labels.isin(onbekend)]
        raise DataFout(raw.pad, [Probleem(regel=raw.regel(i), kolom=kolom, melding=f"onbekend profiel '{v}'")
                                 for i, v in fout.items()],
                       verwacht="een van de tien vmbo-profielen (" + ", ".join(rules.PROFIELEN.values())
                       + ") of hun code, een Vakmanschaps-/Beroepsroute, een oud sectorprogramma of N.v.t.")
    categorie = labels.map(lambda x: klassen[x][0]).reindex(raw.df.index).astype("string")
    profiel = labels.map(lambda x: klassen[x][1]).reindex(raw.df.index).astype("string")
    return categorie, profiel
