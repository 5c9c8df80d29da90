"""DUO "Leerlingen vo per vestiging naar postcode leerling en leerjaar": for every vestiging, its
pupils per home postcode area (PC4) and leerjaar. With it, the coverage figures weigh where a
vestiging's pupils actually live instead of the young residents near it.

Published layout (one row per vestiging x PC4 of the pupils' home; counts per leerjaar, `<5`
where DUO suppresses): `BRIN NUMMER;VESTIGINGSNUMMER;…;POSTCODE LEERLING;PLAATSNAAM LEERLING;
GEMEENTENUMMER LEERLING;GEMEENTENAAM LEERLING;LEER- OF VERBLIJFSJAAR 1;…;LEER- OF VERBLIJFSJAAR 6`,
and the newer generation with `INSTELLINGSCODE;VESTIGINGSCODE`. Extra columns are ignored.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataFout, Probleem
from ._csv import controleer_uniek, lees_duo_csv, tellingen
from .common import jaar_uit_bestand, twee_layouts, vestigingscodes

POSTCODE = "POSTCODE LEERLING"
LEERJAREN = tuple(f"LEER- OF VERBLIJFSJAAR {j}" for j in range(1, 7))
_PC4 = re.compile(r"^\d{4}")
KOLOMMEN = ["jaar", "vestigingscode", "pc4", "leerjaar", "aantal", "onderdrukt", "bron"]


def _lees(pad: Path, instelling: str, vestiging: str, verplicht: tuple[str, ...]) -> pd.DataFrame:
    raw = lees_duo_csv(Path(pad), list(verplicht))
    df = raw.df
    jaar = jaar_uit_bestand(raw)
    code = vestigingscodes(raw, instelling, vestiging)
    controleer_uniek(raw, [instelling, vestiging, POSTCODE], "vestiging met postcode")
    pc = df[POSTCODE].str.strip().str.replace(" ", "", regex=False)
    fout = ~pc.str.match(_PC4)
    if fout.any():
        raise DataFout(pad, [Probleem(regel=raw.regel(i), kolom=POSTCODE, melding=f"geen postcode: '{pc[i][:12]}'")
                             for i in pc.index[fout]], verwacht="een postcode van 4 cijfers (of 1234AB)")
    delen = []
    for j, kolom in enumerate(LEERJAREN, start=1):
        if kolom not in raw.kolommen:
            continue
        waarden, onderdrukt = tellingen(raw, kolom)
        houd = onderdrukt | (np.nan_to_num(waarden) > 0)
        delen.append(pd.DataFrame({"vestigingscode": code[houd].to_numpy(), "pc4": pc[houd].str[:4].to_numpy(),
                                   "leerjaar": j, "aantal": pd.array(waarden[houd], dtype="Float64").astype("Int64"),
                                   "onderdrukt": onderdrukt[houd]}))
    uit = pd.concat(delen, ignore_index=True)
    uit.insert(0, "jaar", jaar)
    uit["bron"] = Path(pad).name
    return uit[KOLOMMEN]


LAYOUTS = twee_layouts("woonplaats", "woonplaatsen",
                       "DUO Leerlingen vo per vestiging naar postcode leerling en leerjaar",
                       (POSTCODE, *LEERJAREN[:4]), _lees)
