"""Labour-market sources: CBS StatLine (OData), UWV spanningsindicator, doorstroom vmbo -> mbo.

- CBS StatLine open data (OData v3, as `cbsodata` reads it): per table the endpoint
  responses saved verbatim in one folder: `TypedDataSet.json` (the figures, `{"odata.metadata":
  ".../odata/<id>/$metadata#...TypedDataSet", "value": [...]}`), `DataProperties.json` (what
  each column is, with its unit), one file per dimension (`RegioS.json`, `Perioden.json`,
  ...: Key -> Title) and `TableInfos.json`. Recognised by the metadata URL; read are the job
  counts (`BanenVanWerknemers...`, per SBI sector) and the unemployment rate
  (`Werkloosheidspercentage...`), for the total of every other dimension.
- UWV spanningsindicator per arbeidsmarktregio and beroepsklasse: CSV or XLSX with the
  columns ARBEIDSMARKTREGIO (or REGIO), BEROEPSKLASSE, SPANNINGSINDICATOR (UWV's category, or
  the ratio vacancies / short-term job seekers) and optionally PERIODE, BEROEPSSEGMENT.
- Doorstroom vmbo -> mbo (optional, user supplied): VMBO PROFIEL, MBO DOMEIN, AANTAL and
  optionally JAAR, VESTIGINGSCODE.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .. import rules
from ..errors import DataFout, Probleem
from ._csv import RuweTabel, lees_duo_csv, tellingen
from .common import VESTIGINGSCODE, Layout

_ODATA = re.compile(r"/odata/(?P<id>[0-9A-Za-z]+)/\$metadata#(?P<wat>[\w.]+)", re.I)
INDICATOREN = {  # topic key prefix -> (indicator, unit)
    "BanenVanWerknemers": ("banen", "banen"),
    "Werkloosheidspercentage": ("werkloosheid_pct", "%"),
}
_JAAR = re.compile(r"(19|20)\d{2}")


# -- CBS StatLine ---------------------------------------------------------------------------
def is_typeddataset(obj) -> bool:
    if not isinstance(obj, dict) or not isinstance(obj.get("value"), list):
        return False
    m = _ODATA.search(str(obj.get("odata.metadata", "")))
    return bool(m and m.group("wat").endswith("TypedDataSet"))


def _json(pad: Path, nodig: str) -> dict:
    if not pad.is_file():
        raise DataFout(pad, "bestand ontbreekt naast TypedDataSet.json",
                       verwacht=f"{nodig}, zoals 'regioportret data fetch' het van CBS ophaalt")
    try:
        return json.loads(pad.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise DataFout(pad, f"geen geldige JSON ({e})", verwacht="het OData-antwoord van CBS") from None


def lees_cbs(pad: Path, obj: dict | None = None) -> pd.DataFrame:
    """Tidy: tabel, titel, indicator, sector, regiocode, regionaam, jaar, periode, waarde, eenheid."""
    from .schemas import ARBEIDSMARKT

    pad = Path(pad)
    obj = obj if obj is not None else _json(pad, "het OData-antwoord TypedDataSet")
    tabel = _ODATA.search(obj["odata.metadata"]).group("id").upper()
    props = _json(pad.parent / "DataProperties.json", "DataProperties.json (de kolommen van de tabel)")["value"]
    info = pad.parent / "TableInfos.json"
    titel = _json(info, "TableInfos.json")["value"][0].get("Title", tabel) if info.exists() else tabel
    dims = [p["Key"] for p in props if p.get("Type") in ("Dimension", "GeoDimension", "TimeDimension")]
    soort = {p["Key"]: p.get("Type") for p in props}
    eenheid = {p["Key"]: str(p.get("Unit") or "") for p in props if p.get("Type") == "Topic"}
    titels = {d: {str(r["Key"]).strip(): str(r["Title"]).strip()
                  for r in _json(pad.parent / f"{d}.json", f"{d}.json (de codes van dimensie {d})")["value"]}
              for d in dims}
    df = pd.DataFrame(obj["value"])
    ontbrekend = [d for d in dims if d not in df]
    if ontbrekend or df.empty:
        raise DataFout(pad, [Probleem(None, d, "kolom ontbreekt in TypedDataSet") for d in ontbrekend]
                       or "geen records", verwacht="de dimensies uit DataProperties.json: " + ", ".join(dims))
    for d in dims:
        df[d] = df[d].astype(str).str.strip()
    geo = next((d for d in dims if soort[d] == "GeoDimension"), None)
    tijd = next((d for d in dims if soort[d] == "TimeDimension"), None)
    if geo is None or tijd is None:
        raise DataFout(pad.parent / "DataProperties.json", "geen regio- of periodedimensie",
                       verwacht="een tabel per regio en periode (GeoDimension en TimeDimension)")
    sector = next((d for d in dims if d.lower().startswith("bedrijfstak")), None)
    for d in dims:  # every other dimension: only its total ("Totaal personen", ...)
        if d in (geo, tijd, sector):
            continue
        totaal = {k for k, t in titels[d].items() if t.lower().startswith("totaal")}
        if not totaal:
            raise DataFout(pad.parent / f"{d}.json", f"dimensie {d} heeft geen categorie 'Totaal ...'",
                           verwacht="een totaalcategorie, zodat de cijfers over iedereen gaan")
        df = df[df[d].isin(totaal)]
    delen = []
    for kolom in df.columns:
        prefix = next((p for p in INDICATOREN if kolom.startswith(p)), None)
        if prefix is None:
            continue
        indicator, basis = INDICATOREN[prefix]
        waarden = pd.to_numeric(df[kolom], errors="coerce")
        fout = waarden.isna() & df[kolom].notna()
        if fout.any():
            raise DataFout(pad, [Probleem(int(i) + 1, kolom, f"geen getal: {df.at[i, kolom]!r}") for i in df.index[fout]],
                           verwacht="getallen of null (record = volgnummer in 'value')")
        factor = 1000.0 if "1 000" in eenheid.get(kolom, "") else 1.0
        delen.append(pd.DataFrame({
            "tabel": tabel, "titel": titel, "indicator": indicator,
            "sector": df[sector].map(titels[sector]) if sector else "",
            "regiocode": df[geo], "regionaam": df[geo].map(titels[geo]).fillna(df[geo]),
            "jaar": df[tijd].str[:4].astype(int), "periode": df[tijd].map(titels[tijd]).fillna(df[tijd]),
            "waarde": (waarden * factor).astype("float64"), "eenheid": basis, "bron": f"{pad.parent.name}/{pad.name}",
        }))
    if not delen:
        raise DataFout(pad, "geen bekende indicator in de tabel",
                       verwacht="een kolom " + " of ".join(f"{p}..." for p in INDICATOREN))
    return ARBEIDSMARKT.validate(pd.concat(delen, ignore_index=True))


# -- UWV spanningsindicator -----------------------------------------------------------------
def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", str(s).strip().lower())


def _uwv_kop(kop: list[str]) -> bool:
    k = set(kop)
    return {"BEROEPSKLASSE", "SPANNINGSINDICATOR"} <= k and bool(k & {"ARBEIDSMARKTREGIO", "REGIO"})


def _uwv_frame(raw: RuweTabel) -> pd.DataFrame:
    from .schemas import SPANNING

    df = raw.df
    regio = df["ARBEIDSMARKTREGIO"] if "ARBEIDSMARKTREGIO" in df else df["REGIO"]
    periode = df["PERIODE"] if "PERIODE" in df else pd.Series("", index=df.index)
    segment = df["BEROEPSSEGMENT"] if "BEROEPSSEGMENT" in df else pd.Series("", index=df.index)
    s = df["SPANNINGSINDICATOR"].astype(str).str.strip()
    categorie = s.map(_norm)
    is_cat = categorie.isin(rules.SPANNING_CATEGORIEEN)
    getal = pd.to_numeric(s.str.replace(",", ".", regex=False), errors="coerce")
    fout = ~is_cat & getal.isna()
    if fout.any():
        raise DataFout(raw.pad, [Probleem(raw.regel(i), "SPANNINGSINDICATOR", f"onbekende waarde {s[i]!r}")
                                 for i in df.index[fout]],
                       verwacht="een categorie (" + ", ".join(rules.SPANNING_CATEGORIEEN) + ") of een getal")
    klasse = df["BEROEPSKLASSE"].astype(str).str.strip()
    technisch = segment.map(_norm).isin(rules.TECHNISCHE_BEROEPSSEGMENTEN) | klasse.map(_norm).isin(
        rules.TECHNISCHE_BEROEPSKLASSEN)
    jaar = periode.astype(str).str.extract(r"((?:19|20)\d{2})")[0]
    niveau = categorie.map({c: i + 1 for i, c in enumerate(rules.SPANNING_CATEGORIEEN)})
    return SPANNING.validate(pd.DataFrame({
        "periode": periode.astype(str), "jaar": pd.array(pd.to_numeric(jaar), dtype="Int64"),
        "regio": regio.astype(str).str.strip(), "beroepssegment": segment.astype(str), "beroepsklasse": klasse,
        "technisch": technisch.to_numpy(), "categorie": categorie.where(is_cat, ""),
        "niveau": pd.array(niveau, dtype="Int64"), "waarde": getal.where(~is_cat), "bron": raw.pad.name,
    }))


def lees_uwv(pad: Path) -> pd.DataFrame:
    pad = Path(pad)
    if pad.suffix.lower() == ".xlsx":
        return _uwv_frame(_xlsx_tabel(pad))
    raw = lees_duo_csv(pad, ["BEROEPSKLASSE", "SPANNINGSINDICATOR"], scheiding=";,")
    return _uwv_frame(raw)


def _xlsx_tabel(pad: Path) -> RuweTabel:
    """The first sheet as text; the header is the first of the top 15 rows that fits UWV's layout."""
    try:
        blad = pd.read_excel(pad, sheet_name=0, header=None, dtype=str, nrows=None).fillna("")
    except Exception as e:  # noqa: BLE001 - any unreadable workbook is the user's file, said plainly
        raise DataFout(pad, f"het Excel-bestand is niet te lezen ({type(e).__name__})",
                       verwacht="een .xlsx-werkmap van UWV") from None
    for i in range(min(15, len(blad))):
        kop = [str(x).strip().upper() for x in blad.iloc[i]]
        if _uwv_kop(kop):
            data = blad.iloc[i + 1:]
            data = data[(data != "").any(axis=1)]
            df = pd.DataFrame(data.to_numpy(), columns=kop).reset_index(drop=True)
            return RuweTabel(pad=pad, encoding="xlsx", kolommen=kop, df=df,
                             regels=np.asarray([int(j) + 1 for j in data.index]))
    raise DataFout(pad, "geen kopregel met BEROEPSKLASSE, SPANNINGSINDICATOR en ARBEIDSMARKTREGIO gevonden",
                   verwacht="UWV's spanningsindicator per arbeidsmarktregio en beroepsklasse")


def is_uwv_xlsx(pad: Path) -> bool:
    try:
        from openpyxl import load_workbook

        wb = load_workbook(pad, read_only=True)
        ws = wb.worksheets[0]
        for rij in ws.iter_rows(min_row=1, max_row=15, values_only=True):
            if _uwv_kop([str(x or "").strip().upper() for x in rij]):
                return True
    except Exception:  # noqa: BLE001 - not a workbook we know: another reader may take it
        return False
    return False


# -- doorstroom vmbo -> mbo -----------------------------------------------------------------
def lees_doorstroom(pad: Path) -> pd.DataFrame:
    from .schemas import DOORSTROOM

    raw = lees_duo_csv(Path(pad), ["VMBO PROFIEL", "MBO DOMEIN", "AANTAL"], scheiding=";,")
    df = raw.df
    profielen = []
    fout = []
    for i, label in df["VMBO PROFIEL"].items():
        try:
            cat, code = rules.classificeer_afdeling(label)
        except KeyError:
            fout.append(Probleem(raw.regel(i), "VMBO PROFIEL", f"onbekend profiel {label!r}"))
            continue
        profielen.append(code if cat == "profiel" else None)
    if fout:
        raise DataFout(raw.pad, fout, verwacht="een van de tien vmbo-profielen (naam of DUO-code)")
    if "VESTIGINGSCODE" in df:
        ok = df["VESTIGINGSCODE"].str.upper().str.match(VESTIGINGSCODE) | (df["VESTIGINGSCODE"] == "")
        if not ok.all():
            raise DataFout(raw.pad, [Probleem(raw.regel(i), "VESTIGINGSCODE", f"ongeldige code {df.at[i, 'VESTIGINGSCODE']!r}")
                                     for i in df.index[~ok]], verwacht="6 tekens, bv. 00AH17")
    aantal, onderdrukt = tellingen(raw, "AANTAL")
    jaar = df["JAAR"].str.extract(r"((?:19|20)\d{2})")[0] if "JAAR" in df else pd.Series(None, index=df.index)
    domein = df["MBO DOMEIN"].str.strip()
    return DOORSTROOM.validate(pd.DataFrame({
        "jaar": pd.array(pd.to_numeric(jaar), dtype="Int64"),
        "vestigingscode": df["VESTIGINGSCODE"].str.upper() if "VESTIGINGSCODE" in df else "",
        "profiel": pd.array(profielen, dtype="string"), "mbo_domein": domein,
        "technisch_mbo": domein.map(_norm).isin(rules.TECHNISCHE_MBO_DOMEINEN).to_numpy(),
        "aantal": pd.array(aantal, dtype="Float64").astype("Int64"), "aantal_onderdrukt": onderdrukt,
        "bron": Path(pad).name,
    }))


LAYOUTS = [
    Layout("uwv-spanningsindicator", "spanning", "UWV spanningsindicator per arbeidsmarktregio en beroepsklasse",
           ("BEROEPSKLASSE", "SPANNINGSINDICATOR"), lees_uwv, extra=_uwv_kop),
    Layout("doorstroom-vmbo-mbo", "doorstroom", "Doorstroom vmbo -> mbo per profiel en mbo-domein",
           ("VMBO PROFIEL", "MBO DOMEIN", "AANTAL"), lees_doorstroom),
]
