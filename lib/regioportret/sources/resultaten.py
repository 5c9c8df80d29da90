"""DUO "Geslaagden, gezakten en gemiddelde examencijfers per instelling" (one school year
per file): exam candidates per vestiging x leerweg x profiel (AFDELING holds profiel codes)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import rules
from ..errors import DataFout, Probleem
from ._csv import controleer_uniek, lees_duo_csv, tellingen
from .common import Layout, jaar_uit_bestand, vestigingscodes

_BASIS = ("ONDERWIJSTYPE VO", "LEERWEG VMBO", "VMBO SECTOR", "AFDELING", "EXAMENKANDIDATEN",
          "GESLAAGDEN", "GEZAKTEN")
VERPLICHT_BRIN = ("BRIN NUMMER", "VESTIGINGSNUMMER", *_BASIS)
VERPLICHT_NIEUW = ("INSTELLINGSCODE", "VESTIGINGSCODE", *_BASIS)
_LEERWEG = {"BL": "BB", "BB": "BB", "KL": "KB", "KB": "KB", "GL": "GL", "TL": "TL", "GT": "GL"}


def _lees(pad: Path, instelling: str, vestiging: str, verplicht) -> pd.DataFrame:
    raw = lees_duo_csv(Path(pad), list(verplicht))
    df = raw.df
    code = vestigingscodes(raw, instelling, vestiging)
    raw.df["_CODE"] = code
    controleer_uniek(raw, ["_CODE", "ONDERWIJSTYPE VO", "LEERWEG VMBO", "VMBO SECTOR", "AFDELING"], "regel")
    jaar = jaar_uit_bestand(raw)
    vmbo = df["ONDERWIJSTYPE VO"].str.upper().str.startswith("VMBO")
    leerweg = df["LEERWEG VMBO"].str.upper().map(_LEERWEG).astype("string").where(vmbo)
    categorie = pd.Series(pd.NA, index=df.index, dtype="string")
    profiel = pd.Series(pd.NA, index=df.index, dtype="string")
    problemen = []
    for i in df.index[vmbo]:
        try:
            categorie[i], profiel[i] = rules.classificeer_afdeling(df.at[i, "AFDELING"])
        except KeyError:
            problemen.append(Probleem(regel=raw.regel(i), kolom="AFDELING",
                                      melding=f"onbekend profiel '{df.at[i, 'AFDELING']}'"))
    if problemen:
        raise DataFout(pad, problemen, verwacht="een profielcode (" + ", ".join(rules.PROFIELEN) +
                       "), een oud afdelingsprogramma of leeg")
    uit = pd.DataFrame({
        "jaar": jaar,
        "vestigingscode": code,
        "instellingscode": code.str[:4],
        "onderwijstype": df["ONDERWIJSTYPE VO"],
        "leerweg": leerweg,
        "sector": df["VMBO SECTOR"],
        "afdeling": df["AFDELING"],
        "categorie": categorie,
        "profiel": profiel,
    })
    for kolom, naam in [("EXAMENKANDIDATEN", "kandidaten"), ("GESLAAGDEN", "geslaagden"), ("GEZAKTEN", "gezakten")]:
        waarden, onderdrukt = tellingen(raw, kolom)
        uit[naam] = pd.array(waarden, dtype="Float64").astype("Int64")
        uit[f"{naam}_onderdrukt"] = onderdrukt
    uit["bron"] = Path(pad).name
    from .schemas import RESULTATEN

    return RESULTATEN.validate(uit)


def lees_brin(pad: Path) -> pd.DataFrame:
    return _lees(pad, "BRIN NUMMER", "VESTIGINGSNUMMER", VERPLICHT_BRIN)


def lees_nieuw(pad: Path) -> pd.DataFrame:
    return _lees(pad, "INSTELLINGSCODE", "VESTIGINGSCODE", VERPLICHT_NIEUW)


LAYOUTS = [
    Layout("duo-resultaten-brin", "resultaten",
           "DUO Geslaagden, gezakten en gemiddelde examencijfers (BRIN NUMMER)", VERPLICHT_BRIN, lees_brin),
    Layout("duo-resultaten-instellingscode", "resultaten",
           "DUO Geslaagden, gezakten en gemiddelde examencijfers (INSTELLINGSCODE)", VERPLICHT_NIEUW, lees_nieuw),
]
