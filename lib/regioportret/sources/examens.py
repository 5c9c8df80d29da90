"""DUO "Examenkandidaten en geslaagden" per vestiging: five school years per file.

vmbo rows are at sector level only (`VMBO B - techniek`). Layouts: 2014-2019 (BRIN NUMMER,
Latin-1, MAN/VROUW/ONBEKEND/TOTAAL) and 2019-2024 (INSTELLINGSCODE, UTF-8 quoted, `<5`).
The years come from the header; only the TOTAAL columns are kept.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ._csv import controleer_uniek, lees_duo_csv, tellingen
from .common import twee_layouts, vestigingscodes

_BASIS = ("INSTELLINGSNAAM VESTIGING", "GEMEENTENAAM", "ONDERWIJSTYPE VO", "OPLEIDINGSNAAM")
_JAARKOLOM = re.compile(r"^EXAMENKANDIDATEN SCHOOLJAAR (\d{4})-(\d{4}) - TOTAAL$")

# "VMBO B - techniek": leerweg letter and sector. LWT = leerwerktraject.
_OPLEIDING = re.compile(r"^VMBO\s+(B|K|G|T|GT|LWT)\b(?:\s*-\s*(.+))?$", re.I)
_LEERWEG = {"B": "BB", "K": "KB", "G": "GL", "T": "TL", "GT": "GL", "LWT": "LWT"}
_SECTOR = {"zorg & welzijn": "zorg en welzijn"}


def schooljaren(kop: list[str]) -> list[tuple[int, int]]:
    return [(int(m[1]), int(m[2])) for k in kop if (m := _JAARKOLOM.match(k))]


def _lees(pad: Path, instelling: str, vestiging: str, verplicht) -> pd.DataFrame:
    raw = lees_duo_csv(Path(pad), list(verplicht))
    df = raw.df
    code = vestigingscodes(raw, instelling, vestiging)
    raw.df["_CODE"] = code
    controleer_uniek(raw, ["_CODE", "ONDERWIJSTYPE VO", "OPLEIDINGSNAAM"], "opleiding")
    m = df["OPLEIDINGSNAAM"].str.extract(_OPLEIDING)
    leerweg = m[0].str.upper().map(_LEERWEG).astype("string")
    sector = m[1].str.strip().str.lower().replace(_SECTOR).astype("string")
    delen = []
    for start, eind in schooljaren(raw.kolommen):
        sj = f"{start}-{eind}"
        kand, kand_o = tellingen(raw, f"EXAMENKANDIDATEN SCHOOLJAAR {sj} - TOTAAL")
        geslaagd, geslaagd_o = tellingen(raw, f"GESLAAGDEN SCHOOLJAAR {sj} - TOTAAL")
        houd = kand_o | (np.nan_to_num(kand) > 0)
        delen.append(pd.DataFrame({
            "jaar": start,
            "schooljaar": sj,
            "vestigingscode": code[houd],
            "instellingscode": code[houd].str[:4],
            "vestigingsnaam": df["INSTELLINGSNAAM VESTIGING"][houd],
            "gemeentenaam": df["GEMEENTENAAM"][houd],
            "onderwijstype": df["ONDERWIJSTYPE VO"][houd],
            "opleidingsnaam": df["OPLEIDINGSNAAM"][houd],
            "leerweg": leerweg[houd],
            "sector": sector[houd],
            "kandidaten": pd.array(kand[houd], dtype="Float64").astype("Int64"),
            "kandidaten_onderdrukt": kand_o[houd],
            "geslaagden": pd.array(geslaagd[houd], dtype="Float64").astype("Int64"),
            "geslaagden_onderdrukt": geslaagd_o[houd],
        }))
    uit = pd.concat(delen, ignore_index=True)
    uit["bron"] = Path(pad).name
    from .schemas import EXAMENS

    return EXAMENS.validate(uit)


def _heeft_jaren(kop: list[str]) -> bool:
    return bool(schooljaren(kop))


LAYOUTS = twee_layouts("examenkandidaten", "examens", "DUO Examenkandidaten en geslaagden, 5 schooljaren",
                       _BASIS, _lees, _heeft_jaren)
lees_brin, lees_nieuw = (lay.lees for lay in LAYOUTS)
