"""The exact counts of a selection, as the sheets of the download: DUO's own cells (vestiging x
opleiding x leerjaar x geslacht, `<5` kept) and sums that add the known cells only and say how
many suppressed cells they leave out, so no total can be used to work a suppressed cell out.
Pure: the cells come from the context (Context.cellen); views/export.py writes the files.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from .. import rules
from ..format import getal
from .selectie import Selectie

ONDERDRUKT = "<5"
KOLOM_BEKEND = "aantal (bekende cellen)"
KOLOM_ONDERDRUKT = "onderdrukte cellen (<5, niet meegeteld)"


def _profiel_label(categorie, profiel, afdeling) -> str:
    if categorie == "profiel" and isinstance(profiel, str):
        return rules.PROFIEL_AFKORTING[profiel]
    return {"route": f"route: {afdeling}", "oud": f"oud programma: {afdeling}", "geen": "geen profiel"}.get(
        categorie, str(afdeling))


def tabellen(cellen: pd.DataFrame, s: Selectie) -> dict[str, pd.DataFrame]:
    """The sheets of bundle `s` from DUO's cells behind it (Context.cellen): Cellen, Per
    vestiging, Profiel x leerweg, Bronnen."""
    d = cellen.copy()
    d["profiel_label"] = [_profiel_label(c, pr, a) for c, pr, a in zip(d["categorie"], d["profiel"], d["afdeling"],
                                                                          strict=True)]
    d = d.sort_values(["regio", "vestigingscode", "leerweg", "profiel_label", "onderwijstype", "opleidingsnaam",
                       "leerjaar", "geslacht"])
    # Every key column DUO gives: onderwijstype tells LWOO from regular, opleiding the programmes
    # of one afdeling apart, so no two rows share all keys.
    cellen = pd.DataFrame({
        "regio": d["regio"], "vestigingscode": d["vestigingscode"], "vestigingsnaam": d["vestigingsnaam"],
        "plaats": d["plaatsnaam"], "leerweg": d["leerweg"], "onderwijstype (DUO)": d["onderwijstype"],
        "profiel": d["profiel_label"], "afdeling (DUO)": d["afdeling"], "opleiding (DUO)": d["opleidingsnaam"],
        "leerjaar": d["leerjaar"], "geslacht": d["geslacht"],
        "aantal": [ONDERDRUKT if o else int(a) for a, o in zip(d["aantal"], d["onderdrukt"], strict=True)],
    }).reset_index(drop=True)

    def som(groep: list[str]) -> pd.DataFrame:
        g = d.groupby(groep, dropna=False, sort=True).agg(
            bekend=("aantal", lambda s: int(s.sum())), onderdrukt=("onderdrukt", "sum")).reset_index()
        return g.rename(columns={"bekend": KOLOM_BEKEND, "onderdrukt": KOLOM_ONDERDRUKT,
                                 "profiel_label": "profiel", "plaatsnaam": "plaats"})

    per_vestiging = som(["regio", "vestigingscode", "vestigingsnaam", "plaatsnaam", "leerweg", "profiel_label",
                         "leerjaar"])
    per_profiel = som(["profiel_label", "leerweg"])
    bronnen = pd.DataFrame([
        ("selectie", s.titel),
        ("indeling", s.indeling["label"]),
        ("teldatum", f"{s.teldatum} (1 oktober {s.jaar}, schooljaar {s.jaar}-{s.jaar + 1})"),
        ("bron", "DUO Open Onderwijsdata, Leerlingen vo per vestiging naar onderwijstype (CC0): "
                 + ", ".join(s.bronnen)),
        ("wat", "vmbo-leerlingen in leerjaar 3 en 4 per vestiging, leerweg, profiel/afdeling, leerjaar en geslacht"),
        ("onderdrukking", "DUO schrijft aantallen van 1 tot en met 4 als '<5'. Die cellen staan zo in het blad "
                          "Cellen; sommen tellen alleen bekende cellen en noemen hoeveel onderdrukte cellen ze "
                          "overslaan, zodat geen onderdrukte cel terug te rekenen is."),
        ("techniek", "technische profielen: " + ", ".join(rules.PROFIEL_AFKORTING[c] for c in rules.TECHNISCHE_PROFIELEN)),
        ("deelnemende vestigingen", f"{getal(len(s.vestigingen))}: vestigingen met vmbo-leerlingen in leerjaar 3-4"),
        *(("indeling", zin) for zin in s.toelichting()),
        ("demodata", "ja: fictieve scholen" if s.demo else "nee"),
        ("gemaakt", f"{date.today().isoformat()} door regioportret"),
    ], columns=["onderdeel", "waarde"])
    niet = pd.DataFrame(list(s.niet_ingedeeld), columns=["vestigingscode", "vestigingsnaam", "plaatsnaam", "leerlingen",
                                                          "techniek"]).rename(
        columns={"plaatsnaam": "plaats", "leerlingen": "leerlingen lj 3-4", "techniek": "in technische profielen"})
    return {"Cellen": cellen, "Per vestiging": per_vestiging, "Profiel x leerweg": per_profiel,
            "Niet ingedeeld": niet, "Bronnen": bronnen}
