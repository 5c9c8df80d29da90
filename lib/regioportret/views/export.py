"""The exact student numbers of a selection as XLSX (one sheet per table, a sources sheet) or CSV.

Suppression is kept: the cell sheet has DUO's own cells (vestiging x opleiding x leerjaar x
geslacht) with `<5` where DUO wrote it; every sum elsewhere adds the known cells only and says
how many suppressed cells it left out, so no total can be used to work a suppressed cell out.
"""

from __future__ import annotations

import io
import os
from datetime import date
from pathlib import Path

import pandas as pd

from .. import rules
from ..format import getal

ONDERDRUKT = "<5"
KOLOM_BEKEND = "aantal (bekende cellen)"
KOLOM_ONDERDRUKT = "onderdrukte cellen (<5, niet meegeteld)"


def _profiel_label(categorie, profiel, afdeling) -> str:
    if categorie == "profiel" and isinstance(profiel, str):
        return rules.PROFIEL_AFKORTING[profiel]
    return {"route": f"route: {afdeling}", "oud": f"oud programma: {afdeling}", "geen": "geen profiel"}.get(
        categorie, str(afdeling))


def tabellen(ds, p) -> dict[str, pd.DataFrame]:
    """The sheets for portrait `p`: Cellen, Per vestiging, Profiel x leerweg, Bronnen."""
    vest = p.tabel["vestigingscode"].unique().tolist()
    d = ds.lees("leerlingen", ["jaar", "vestigingscode", "vestigingsnaam", "plaatsnaam", "leerweg", "categorie",
                               "profiel", "afdeling", "leerjaar", "geslacht", "aantal", "onderdrukt"],
                [("jaar", "==", p.jaar), ("leerjaar", "in", [3, 4])])
    d = d[d["leerweg"].notna() & d["vestigingscode"].isin(vest)].copy()
    regio = p.indeling.tabel.set_index("vestigingscode")["regionummer"]
    d["regio"] = d["vestigingscode"].map(regio).astype("Int64")
    d["profiel_label"] = [_profiel_label(c, pr, a) for c, pr, a in zip(d["categorie"], d["profiel"], d["afdeling"],
                                                                          strict=True)]
    d = d.sort_values(["regio", "vestigingscode", "leerweg", "profiel_label", "leerjaar", "geslacht"])
    cellen = pd.DataFrame({
        "regio": d["regio"], "vestigingscode": d["vestigingscode"], "vestigingsnaam": d["vestigingsnaam"],
        "plaats": d["plaatsnaam"], "leerweg": d["leerweg"], "profiel": d["profiel_label"],
        "afdeling (DUO)": d["afdeling"], "leerjaar": d["leerjaar"], "geslacht": d["geslacht"],
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
    wie = ", ".join(f"regio {r['regionummer']} {r['regionaam']}" for r in p.regios) or "alle vestigingen in de data"
    bronnen = pd.DataFrame([
        ("selectie", wie),
        ("indeling", p.indeling.label),
        ("teldatum", f"{p.teldatum} (1 oktober {p.jaar}, schooljaar {p.jaar}-{p.jaar + 1})"),
        ("bron", "DUO Open Onderwijsdata, Leerlingen vo per vestiging naar onderwijstype (CC0): "
                 + ", ".join(p.bronnen)),
        ("wat", "vmbo-leerlingen in leerjaar 3 en 4 per vestiging, leerweg, profiel/afdeling, leerjaar en geslacht"),
        ("onderdrukking", "DUO schrijft aantallen van 1 tot en met 4 als '<5'. Die cellen staan zo in het blad "
                          "Cellen; sommen tellen alleen bekende cellen en noemen hoeveel onderdrukte cellen ze "
                          "overslaan, zodat geen onderdrukte cel terug te rekenen is."),
        ("techniek", "technische profielen: " + ", ".join(rules.PROFIEL_AFKORTING[c] for c in rules.TECHNISCHE_PROFIELEN)),
        ("demodata", "ja: fictieve scholen" if p.demo else "nee"),
        ("gemaakt", f"{date.today().isoformat()} door regioportret"),
    ], columns=["onderdeel", "waarde"])
    return {"Cellen": cellen, "Per vestiging": per_vestiging, "Profiel x leerweg": per_profiel, "Bronnen": bronnen}


def xlsx_bytes(bladen: dict[str, pd.DataFrame]) -> bytes:
    """The workbook in memory (the dashboard offers it without writing to the server's disk)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as w:
        for naam, t in bladen.items():
            t.to_excel(w, sheet_name=naam, index=False)
            blad = w.sheets[naam]
            blad.freeze_panes = "A2"
            for i, kolom in enumerate(t.columns, start=1):
                breedte = max([len(str(kolom))] + [len(str(x)) for x in t[kolom].head(200)])
                blad.column_dimensions[blad.cell(1, i).column_letter].width = min(max(10, breedte + 2), 70)
                if pd.api.types.is_integer_dtype(t[kolom]):
                    for cel in blad.iter_rows(min_row=2, min_col=i, max_col=i):
                        cel[0].number_format = "#,##0"
    return buf.getvalue()


def schrijf_xlsx(bladen: dict[str, pd.DataFrame], pad: Path) -> Path:
    """Written next to the target and renamed: never a half workbook under its name."""
    pad = Path(pad)
    pad.parent.mkdir(parents=True, exist_ok=True)
    tmp = pad.with_name(f".{pad.name}.{os.getpid()}.tmp")
    tmp.write_bytes(xlsx_bytes(bladen))
    os.replace(tmp, pad)
    return pad


def schrijf_csv(bladen: dict[str, pd.DataFrame], map_: Path) -> list[Path]:
    map_ = Path(map_)
    map_.mkdir(parents=True, exist_ok=True)
    uit = []
    for naam, t in bladen.items():
        pad = map_ / (naam.lower().replace(" ", "-") + ".csv")
        tmp = pad.with_name(f".{pad.name}.tmp")
        t.to_csv(tmp, sep=";", index=False, encoding="utf-8")
        os.replace(tmp, pad)
        uit.append(pad)
    return uit


def samenvatting(bladen: dict[str, pd.DataFrame]) -> str:
    c = bladen["Cellen"]
    return (f"{getal(len(c))} cellen, waarvan {getal(int((c['aantal'] == ONDERDRUKT).sum()))} onderdrukt (<5); "
            f"{getal(c['vestigingscode'].nunique())} vestigingen")
