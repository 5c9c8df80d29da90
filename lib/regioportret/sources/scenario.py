"""A scenario file: `vestigingscode;profiel;wijziging`, one change per line (`stopt` or `start`).

Reading checks the file on its own (codes, profielen, words); whether a vestiging offers the
profiel is checked against the data in model.scenario.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import rules
from ..errors import DataFout, Probleem
from ._csv import als_pad, lees_duo_csv
from .common import VESTIGINGSCODE

VERPLICHT = ("VESTIGINGSCODE", "PROFIEL", "WIJZIGING")
WOORDEN = {"stopt": "stopt", "stop": "stopt", "uit": "stopt", "start": "start", "begint": "start", "aan": "start"}
MAX_REGELS = 500


def lees_scenario(pad: Path) -> pd.DataFrame:
    """`pad`: a file, or a sources._csv.Geheugenbestand (an upload, read from memory)."""
    pad = als_pad(pad)
    raw = lees_duo_csv(pad, list(VERPLICHT))
    df = raw.df
    if len(df) > MAX_REGELS:
        raise DataFout(pad, f"het bestand heeft {len(df)} wijzigingen", verwacht=f"hoogstens {MAX_REGELS}")
    problemen: list[Probleem] = []
    code = df["VESTIGINGSCODE"].str.strip().str.upper()
    for i in df.index[~code.str.match(VESTIGINGSCODE)]:
        problemen.append(Probleem(raw.regel(i), "vestigingscode",
                                  f"ongeldige vestigingscode '{df.at[i, 'VESTIGINGSCODE'][:20]}'"))
    profiel = df["PROFIEL"].map(rules.technisch_profiel)
    for i in df.index[profiel.isna()]:
        problemen.append(Probleem(raw.regel(i), "profiel", f"geen technisch profiel: '{df.at[i, 'PROFIEL'][:20]}'"))
    wijziging = df["WIJZIGING"].str.strip().str.lower().map(WOORDEN)
    for i in df.index[wijziging.isna()]:
        problemen.append(Probleem(raw.regel(i), "wijziging", f"onbekende wijziging '{df.at[i, 'WIJZIGING'][:20]}'"))
    if problemen:
        raise DataFout(pad, problemen, verwacht="vestigingscode (6 tekens);profiel (" + ", ".join(
            rules.PROFIEL_AFKORTING[p] for p in rules.TECHNISCHE_PROFIELEN) + ");wijziging (stopt of start)")
    return pd.DataFrame({"vestigingscode": code, "profiel": profiel, "wijziging": wijziging}).reset_index(drop=True)
