"""DUO "Geslaagden, gezakten en gemiddelde examencijfers per instelling" (one school year
per file): exam candidates per vestiging x leerweg x profiel (AFDELING holds profiel codes)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._csv import controleer_uniek, lees_duo_csv, tellingen
from .common import classificeer, jaar_uit_bestand, twee_layouts, vestigingscodes

_BASIS = ("ONDERWIJSTYPE VO", "LEERWEG VMBO", "VMBO SECTOR", "AFDELING", "EXAMENKANDIDATEN",
          "GESLAAGDEN", "GEZAKTEN")
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
    categorie, profiel = classificeer(raw, vmbo)
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


LAYOUTS = twee_layouts("resultaten", "resultaten", "DUO Geslaagden, gezakten en gemiddelde examencijfers",
                       _BASIS, _lees)
lees_brin, lees_nieuw = (lay.lees for lay in LAYOUTS)
