"""A regio-indeling: `regionummer;regionaam;vestigingscode`, the way regions are defined.

Reading checks the file on its own (numbers, codes, a vestiging in two regions, empty
regions); checking the codes against the data is done in model.regios.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import rules
from ..errors import IndelingFout, Probleem
from ..formule import zonder_formulewacht
from ._csv import als_pad, lees_duo_csv
from .common import VESTIGINGSCODE, Layout

VERPLICHT = ("REGIONUMMER", "REGIONAAM", "VESTIGINGSCODE")


def lees_indeling(pad: Path) -> pd.DataFrame:
    """`pad`: a file, or a sources._csv.Geheugenbestand (an upload, read from memory)."""
    pad = als_pad(pad)
    raw = lees_duo_csv(pad, list(VERPLICHT))
    df = raw.df
    df["REGIONAAM"] = df["REGIONAAM"].map(zonder_formulewacht)  # a name the builder wrote as "'=..."
    problemen: list[Probleem] = []
    # A region number is a registration number: a positive whole number of at most six digits
    # (a longer one would overflow and come back as another region's number).
    tekst = df["REGIONUMMER"].str.strip()
    n = rules.REGIONUMMER_CIJFERS - 1
    goed = tekst.str.fullmatch(rf"0*[1-9]\d{{0,{n}}}|0*[1-9]\d{{0,{n}}}\.0+")
    nummer = pd.to_numeric(tekst.where(goed), errors="coerce")
    for i in df.index[nummer.isna()]:
        problemen.append(Probleem(raw.regel(i), "regionummer", f"geen geldig regionummer: '{df.at[i, 'REGIONUMMER']}' "
                                  "(een positief geheel getal van hoogstens zes cijfers)"))
    code = df["VESTIGINGSCODE"].str.upper()
    for i in df.index[(code != "") & ~code.str.match(VESTIGINGSCODE)]:
        problemen.append(Probleem(raw.regel(i), "vestigingscode", f"ongeldige vestigingscode '{df.at[i, 'VESTIGINGSCODE']}'"))
    for i in df.index[df["REGIONAAM"] == ""]:
        problemen.append(Probleem(raw.regel(i), "regionaam", "lege regionaam"))
    if problemen:
        raise IndelingFout(pad, problemen, verwacht="regionummer (geheel getal > 0);regionaam;vestigingscode (6 tekens)")

    uit = pd.DataFrame({"regionummer": nummer.astype(int), "regionaam": df["REGIONAAM"], "vestigingscode": code,
                        "regel": [raw.regel(i) for i in df.index]})
    # One name per region.
    namen = uit.groupby("regionummer")["regionaam"].nunique()
    for nr in namen.index[namen > 1]:
        rijen = uit[uit["regionummer"] == nr]
        problemen.append(Probleem(int(rijen["regel"].iloc[0]), "regionaam",
                                  f"regio {nr} heeft meer namen: " + ", ".join(sorted(rijen["regionaam"].unique()))))
    # Each vestiging in one region only.
    met = uit[uit["vestigingscode"] != ""]
    for code_v, rijen in met.groupby("vestigingscode"):
        if rijen["regionummer"].nunique() > 1:
            problemen.append(Probleem(int(rijen["regel"].iloc[1]), "vestigingscode",
                                      f"vestiging {code_v} staat in meer regio's: " + ", ".join(
                                          str(n) for n in sorted(rijen["regionummer"].unique()))
                                      + " (regels " + ", ".join(str(r) for r in rijen["regel"]) + ")"))
        elif len(rijen) > 1:
            problemen.append(Probleem(int(rijen["regel"].iloc[1]), "vestigingscode",
                                      f"vestiging {code_v} staat dubbel in regio {rijen['regionummer'].iloc[0]}"))
    # No empty regions (a line with an empty vestigingscode names a region without vestigingen).
    leeg = set(uit["regionummer"]) - set(met["regionummer"])
    for nr in sorted(leeg):
        problemen.append(Probleem(int(uit.loc[uit["regionummer"] == nr, "regel"].iloc[0]), "vestigingscode",
                                  f"regio {nr} heeft geen vestigingen"))
    if problemen:
        raise IndelingFout(pad, sorted(problemen, key=lambda p: p.regel or 0),
                           verwacht="elke vestiging in precies één regio, elke regio met één naam en minstens één vestiging")
    return met.sort_values(["regionummer", "vestigingscode"]).reset_index(drop=True)  # regel: for later checks


LAYOUTS = [Layout("regio-indeling", "indeling", "Regio-indeling (regionummer;regionaam;vestigingscode)",
                  VERPLICHT, lees_indeling)]


def controleer_codes(tabel: pd.DataFrame, bekend: set[str], bron: str) -> None:
    """Every vestigingscode of the indeling must exist in the data."""
    onbekend = tabel[~tabel["vestigingscode"].isin(bekend)]
    if not onbekend.empty:
        regel = onbekend["regel"] if "regel" in onbekend else pd.Series([None] * len(onbekend))
        raise IndelingFout(bron, [
            Probleem(int(r) if pd.notna(r) else None, "vestigingscode",
                     f"onbekende vestigingscode {c} (regio {n})")
            for r, c, n in zip(regel, onbekend["vestigingscode"], onbekend["regionummer"], strict=True)
        ], verwacht="vestigingscodes die in de leerlingen- of vestigingenbestanden van de data voorkomen")
