"""DUO "01. Leerlingen vo per vestiging naar onderwijstype" (one file per teldatum year).

Two layouts: up to about 2020 `BRIN NUMMER` + 2-digit `VESTIGINGSNUMMER` (Latin-1), later
`INSTELLINGSCODE` + `VESTIGINGSCODE` (UTF-8, quoted, `<5` suppression, extra columns such
as SAMENWERKINGSVERBAND and ERKENDE OPLEIDINGSCODE). Both become one long, tidy table: one
row per vestiging x onderwijstype x opleiding x leerjaar x geslacht with a non-zero count.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataFout, Probleem
from ._csv import controleer_uniek, lees_duo_csv, tellingen
from .common import classificeer, jaar_uit_bestand, twee_layouts, vestigingscodes

ONDERWIJSTYPE = "ONDERWIJSTYPE VO EN LEER- OF VERBLIJFSJAAR"
TELKOLOMMEN = [
    (f"LEER- OF VERBLIJFSJAAR {lj} - {g.upper()}", lj, g)
    for lj in range(1, 7) for g in ("man", "vrouw")
]
_GEMEEN = (
    "INSTELLINGSNAAM VESTIGING", "PLAATSNAAM VESTIGING", ONDERWIJSTYPE, "AFDELING",
    "OPLEIDINGSNAAM", *[k for k, _, _ in TELKOLOMMEN],
)

# "VMBO BL lj 3-4" (2019) or "VMBO BB lj 3-4" (newer spelling): leerweg of leerjaar 3-4.
_LJ34 = re.compile(r"^VMBO\s+(BL|BB|KL|KB|GL|TL)\b.*\b3-4\b", re.I)
_LEERWEG = {"BL": "BB", "BB": "BB", "KL": "KB", "KB": "KB", "GL": "GL", "TL": "TL"}
# "VMBO-MBO2 lj 3-6": the through route vmbo - mbo level 2 of some years. Not a vmbo leerweg:
# kept as categorie 'vmbo-mbo2' and reported apart (build warnings, every portrait), never dropped.
VMBO_MBO2 = re.compile(r"^\s*VMBO[\s-]*MBO\s*-?\s*2\b", re.I)

KOLOMMEN = [
    "jaar", "vestigingscode", "instellingscode", "vestigingsnaam", "plaatsnaam", "onderwijstype",
    "leerweg", "categorie", "profiel", "afdeling", "opleidingsnaam", "leerjaar", "geslacht",
    "aantal", "onderdrukt", "bron",
]


def _lees(pad: Path, instelling: str, vestiging: str, verplicht: tuple[str, ...]) -> pd.DataFrame:
    raw = lees_duo_csv(Path(pad), list(verplicht))
    df = raw.df
    jaar = jaar_uit_bestand(raw)
    code = vestigingscodes(raw, instelling, vestiging)
    beschrijvend = [k for k in raw.kolommen if k not in {t for t, _, _ in TELKOLOMMEN}]
    controleer_uniek(raw, beschrijvend, "regel")

    ot = df[ONDERWIJSTYPE]
    lw = ot.str.extract(_LJ34)[0].str.upper().map(_LEERWEG)
    vmbo34 = ot.str.upper().str.startswith("VMBO") & ot.str.contains(r"\b3-4\b")
    onbekend_lw = vmbo34 & lw.isna()
    if onbekend_lw.any():
        raise DataFout(pad, [Probleem(regel=raw.regel(i), kolom=ONDERWIJSTYPE,
                                      melding=f"onbekende leerweg in '{ot[i]}'") for i in ot.index[onbekend_lw]],
                       verwacht="VMBO BL/BB, KL/KB, GL of TL lj 3-4")

    mbo2 = ot.str.match(VMBO_MBO2)
    categorie, profiel = classificeer(raw, lw.notna() | mbo2)
    categorie = categorie.mask(mbo2, "vmbo-mbo2")

    delen = []
    basis = pd.DataFrame({
        "vestigingscode": code,
        "instellingscode": code.str[:4],
        "vestigingsnaam": df["INSTELLINGSNAAM VESTIGING"],
        "plaatsnaam": df["PLAATSNAAM VESTIGING"],
        "onderwijstype": ot,
        "leerweg": lw.astype("string"),
        "categorie": categorie,
        "profiel": profiel,
        "afdeling": df["AFDELING"],
        "opleidingsnaam": df["OPLEIDINGSNAAM"],
    })
    for kolom, lj, geslacht in TELKOLOMMEN:
        waarden, onderdrukt = tellingen(raw, kolom)
        houd = onderdrukt | (np.nan_to_num(waarden) > 0)
        if not houd.any():
            continue
        deel = basis[houd].copy()
        deel["leerjaar"] = lj
        deel["geslacht"] = geslacht
        deel["aantal"] = pd.array(waarden[houd], dtype="Float64").astype("Int64")
        deel["onderdrukt"] = onderdrukt[houd]
        delen.append(deel)
    uit = pd.concat(delen, ignore_index=True)
    uit.insert(0, "jaar", jaar)
    uit["bron"] = pad.name
    uit = uit[KOLOMMEN]
    from .schemas import LEERLINGEN

    return LEERLINGEN.validate(uit)


LAYOUTS = twee_layouts("leerlingen", "leerlingen", "DUO 01. Leerlingen vo per vestiging naar onderwijstype",
                       _GEMEEN, _lees)
lees_2019, lees_nieuw = (lay.lees for lay in LAYOUTS)
