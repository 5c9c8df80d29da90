"""A regio-indeling: `regionummer;regionaam;vestigingscode`, the way regions are defined.

Reading checks the file on its own (numbers, codes, a vestiging in two regions, empty
regions); checking the codes against the data is done in model.regios.

An optional fourth column `opmerking` (the region builder writes it) marks the rows of the
region that was edited (`bewerkt`) and lists vestigingen that are in no region (`niet
ingedeeld`, with regionummer and regionaam empty), so that a saved indeling never loses a school.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import rules
from ..errors import IndelingFout, Probleem
from ..formule import zonder_formulewacht
from ._csv import als_pad, lees_duo_csv
from .common import VESTIGINGSCODE, Layout

VERPLICHT = ("REGIONUMMER", "REGIONAAM", "VESTIGINGSCODE")
BEWERKT, NIET_INGEDEELD = rules.INDELING_BEWERKT, rules.INDELING_NIET_INGEDEELD
OPMERKINGEN = ("", BEWERKT, NIET_INGEDEELD)


@dataclass
class Indelingbestand:
    """What an indeling file says: its regions (one row per vestiging), the vestigingen it lists
    as in no region, and the region marked as edited (None: not marked)."""

    tabel: pd.DataFrame
    niet_ingedeeld: list[str] = field(default_factory=list)
    bewerkt: int | None = None


def lees_indeling(pad: Path) -> pd.DataFrame:
    """`pad`: a file, or a sources._csv.Geheugenbestand (an upload, read from memory)."""
    return lees_indelingbestand(pad).tabel


def lees_indelingbestand(pad: Path) -> Indelingbestand:
    """The regions and the `opmerking` column's marks (see the module's doc)."""
    pad = als_pad(pad)
    raw = lees_duo_csv(pad, list(VERPLICHT))
    df = raw.df
    df["REGIONAAM"] = df["REGIONAAM"].map(zonder_formulewacht)  # a name the builder wrote as "'=..."
    problemen: list[Probleem] = []
    opmerking = (df["OPMERKING"] if "OPMERKING" in df else pd.Series("", index=df.index)).str.strip().str.lower()
    for i in df.index[~opmerking.isin(OPMERKINGEN)]:
        problemen.append(Probleem(raw.regel(i), "opmerking", f"onbekende opmerking '{df.at[i, 'OPMERKING']}' "
                                  f"(leeg, '{BEWERKT}' of '{NIET_INGEDEELD}')"))
    los = opmerking == NIET_INGEDEELD
    for i in df.index[los & ((df["REGIONUMMER"].str.strip() != "") | (df["REGIONAAM"].str.strip() != ""))]:
        problemen.append(Probleem(raw.regel(i), "regionummer", f"een vestiging '{NIET_INGEDEELD}' heeft geen "
                                  "regionummer en regionaam"))
    niet_ingedeeld = df.loc[los, "VESTIGINGSCODE"].str.upper()
    for i in niet_ingedeeld.index[~niet_ingedeeld.str.match(VESTIGINGSCODE)]:
        problemen.append(Probleem(raw.regel(i), "vestigingscode", f"ongeldige vestigingscode '{df.at[i, 'VESTIGINGSCODE']}'"))
    if problemen:
        raise IndelingFout(pad, problemen, verwacht="regionummer;regionaam;vestigingscode[;opmerking]")
    regels = {i: raw.regel(i) for i in df.index}
    df, opmerking = df[~los], opmerking[~los]
    # A region number is a registration number: a positive whole number of at most six digits
    # (a longer one would overflow and come back as another region's number).
    tekst = df["REGIONUMMER"].str.strip()
    n = rules.REGIONUMMER_CIJFERS - 1
    goed = tekst.str.fullmatch(rf"0*[1-9]\d{{0,{n}}}|0*[1-9]\d{{0,{n}}}\.0+")
    nummer = pd.to_numeric(tekst.where(goed), errors="coerce")
    for i in df.index[nummer.isna()]:
        problemen.append(Probleem(regels[i], "regionummer", f"geen geldig regionummer: '{df.at[i, 'REGIONUMMER']}' "
                                  "(een positief geheel getal van hoogstens zes cijfers)"))
    code = df["VESTIGINGSCODE"].str.upper()
    for i in df.index[(code != "") & ~code.str.match(VESTIGINGSCODE)]:
        problemen.append(Probleem(regels[i], "vestigingscode", f"ongeldige vestigingscode '{df.at[i, 'VESTIGINGSCODE']}'"))
    for i in df.index[df["REGIONAAM"] == ""]:
        problemen.append(Probleem(regels[i], "regionaam", "lege regionaam"))
    if problemen:
        raise IndelingFout(pad, problemen, verwacht="regionummer (geheel getal > 0);regionaam;vestigingscode (6 tekens)")

    uit = pd.DataFrame({"regionummer": nummer.astype(int), "regionaam": df["REGIONAAM"], "vestigingscode": code,
                        "regel": [regels[i] for i in df.index]})
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
    # A vestiging listed as in no region is in no region; one region at most is the edited one.
    dubbel = sorted(set(niet_ingedeeld) & set(met["vestigingscode"]))
    for c in dubbel:
        problemen.append(Probleem(int(met.loc[met["vestigingscode"] == c, "regel"].iloc[0]), "opmerking",
                                  f"vestiging {c} staat in een regio en als '{NIET_INGEDEELD}'"))
    bewerkt = sorted(set(uit.loc[opmerking.to_numpy() == BEWERKT, "regionummer"]))
    if len(bewerkt) > 1:
        problemen.append(Probleem(None, "opmerking", f"meer regio's zijn als '{BEWERKT}' gemarkeerd: "
                                  + ", ".join(str(n) for n in bewerkt)))
    if problemen:
        raise IndelingFout(pad, sorted(problemen, key=lambda p: p.regel or 0),
                           verwacht="elke vestiging in precies één regio, elke regio met één naam en minstens één vestiging")
    tabel = met.sort_values(["regionummer", "vestigingscode"]).reset_index(drop=True)  # regel: for later checks
    return Indelingbestand(tabel, sorted(set(niet_ingedeeld)), int(bewerkt[0]) if bewerkt else None)


LAYOUTS = [Layout("regio-indeling", "indeling", "Regio-indeling (regionummer;regionaam;vestigingscode)",
                  VERPLICHT, lees_indeling)]


def controleer_codes(tabel: pd.DataFrame, bekend: set[str], bron: str, niet_ingedeeld=()) -> None:
    """Every vestigingscode of the indeling (in a region, or listed as in no region) must exist
    in the data."""
    onbekend = tabel[~tabel["vestigingscode"].isin(bekend)]
    problemen = []
    if not onbekend.empty:
        regel = onbekend["regel"] if "regel" in onbekend else pd.Series([None] * len(onbekend))
        problemen = [Probleem(int(r) if pd.notna(r) else None, "vestigingscode", f"onbekende vestigingscode {c} (regio {n})")
                     for r, c, n in zip(regel, onbekend["vestigingscode"], onbekend["regionummer"], strict=True)]
    problemen += [Probleem(None, "vestigingscode", f"onbekende vestigingscode {c} ({NIET_INGEDEELD})")
                  for c in niet_ingedeeld if c not in bekend]
    if problemen:
        raise IndelingFout(bron, problemen,
                           verwacht="vestigingscodes die in de leerlingen- of vestigingenbestanden van de data voorkomen")
