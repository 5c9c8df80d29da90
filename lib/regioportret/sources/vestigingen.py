"""DUO "02. Alle vestigingen vo": address, postcode, gemeente and DUO's area columns."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._csv import controleer_uniek, lees_duo_csv
from .common import twee_layouts, vestigingscodes

_ADRES = ("VESTIGINGSNAAM", "STRAATNAAM", "HUISNUMMER-TOEVOEGING", "POSTCODE", "PLAATSNAAM",
          "GEMEENTENUMMER", "GEMEENTENAAM", "PROVINCIE")

# Optional columns, kept when present: DUO's own area divisions among them.
OPTIONEEL = {
    "BEVOEGD GEZAG NUMMER": "bevoegd_gezag", "DENOMINATIE": "denominatie",
    "INTERNETADRES": "internetadres", "ONDERWIJSSTRUCTUUR": "onderwijsstructuur",
    "NODAAL GEBIED CODE": "nodaal_code", "NODAAL GEBIED NAAM": "nodaal_naam",
    "RPA-GEBIED CODE": "rpa_code", "RPA-GEBIED NAAM": "rpa_naam",
    "WGR-GEBIED CODE": "wgr_code", "WGR-GEBIED NAAM": "wgr_naam",
    "COROPGEBIED CODE": "corop_code", "COROPGEBIED NAAM": "corop_naam",
    "ONDERWIJSGEBIED CODE": "onderwijsgebied_code", "ONDERWIJSGEBIED NAAM": "onderwijsgebied_naam",
    "RMC-REGIO CODE": "rmc_code", "RMC-REGIO NAAM": "rmc_naam",
}


def _lees(pad: Path, instelling: str, vestiging: str, verplicht) -> pd.DataFrame:
    raw = lees_duo_csv(Path(pad), list(verplicht))
    df = raw.df
    code = vestigingscodes(raw, instelling, vestiging)
    raw.df["_CODE"] = code
    controleer_uniek(raw, ["_CODE"], "vestigingscode")
    uit = pd.DataFrame({
        "vestigingscode": code,
        "instellingscode": code.str[:4],
        "vestigingsnaam": df["VESTIGINGSNAAM"],
        "straat": df["STRAATNAAM"],
        "huisnummer": df["HUISNUMMER-TOEVOEGING"],
        "postcode": df["POSTCODE"].str.replace(" ", "", regex=False).str.upper(),
        "plaatsnaam": df["PLAATSNAAM"],
        "gemeentecode": df["GEMEENTENUMMER"].str.zfill(4).where(df["GEMEENTENUMMER"] != "", ""),
        "gemeentenaam": df["GEMEENTENAAM"],
        "provincie": df["PROVINCIE"],
    })
    for kolom, naam in OPTIONEEL.items():
        uit[naam] = df[kolom] if kolom in df else ""
    uit["bron"] = Path(pad).name
    from .schemas import VESTIGINGEN

    return VESTIGINGEN.validate(uit)


LAYOUTS = twee_layouts("vestigingen", "vestigingen", "DUO 02. Alle vestigingen vo", _ADRES, _lees)
lees_brin, lees_nieuw = (lay.lees for lay in LAYOUTS)
