"""Download the official raw files from their publishers (DUO, CBS/PDOK, GeoNames).

Resumable: a download goes to `<file>.part` and continues with an HTTP Range request;
a complete file is skipped. Every failed file is reported (URL and reason) after all others
were tried, and the folder never holds a half-written file under its final name.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from .errors import DataFout, Probleem
from .store import schrijf_atomair, wissel_in

DUO = "https://duo.nl/open_onderwijsdata/images"
PDOK_WFS = "https://service.pdok.nl/cbs/gebiedsindelingen/{jaar}/wfs/v1_0"
GEONAMES_NL = "https://download.geonames.org/export/zip/NL.zip"
STANDAARD_JAREN = range(2015, 2025)
# CBS StatLine open data (OData v3, the API the `cbsodata` package reads). The current tables
# with figures per arbeidsmarktregio (docs/data.md): jobs of employees per SBI sector, and
# labour participation with the unemployment rate. CBS publishes a new regional
# participation table every February; pass newer ids with --cbs-tabellen.
CBS_ODATA = "https://opendata.cbs.nl/ODataApi/odata"
CBS_TABELLEN = {
    "83582NED": "Banen van werknemers in december; economische activiteit (SBI2008), regio",
    "85494NED": "Arbeidsdeelname; regionale indeling 2022",
}
CBS_FILTER = "substringof('AM',RegioS) or substringof('NL01',RegioS)"  # arbeidsmarktregio's and the country
GEBIEDSINDELING_JAAR = 2024


@dataclass(frozen=True)
class Bron:
    url: str
    bestand: str  # path under the output folder
    uitgever: str
    licentie: str
    uitpakken: str | None = None  # member of a zip archive to keep


def _wfs(laag: str, jaar: int) -> str:
    return (PDOK_WFS.format(jaar=jaar) + "?service=WFS&version=2.0.0&request=GetFeature"
            f"&typeName=gebiedsindelingen:{laag}&outputFormat=application/json&srsName=EPSG:4326")


def bronnen(jaren=STANDAARD_JAREN, gebiedsjaar: int = GEBIEDSINDELING_JAAR) -> list[Bron]:
    """The official files, in the layouts this package reads (see docs/data.md)."""
    duo = "DUO Open Onderwijsdata"
    lijst = [Bron(f"{DUO}/01.-leerlingen-vo-per-vestiging-naar-onderwijstype-{j}.csv",
                  f"duo/01.-leerlingen-vo-per-vestiging-naar-onderwijstype-{j}.csv", duo, "CC0 1.0") for j in jaren]
    lijst += [
        Bron(f"{DUO}/02.-alle-vestigingen-vo.csv", "duo/02.-alle-vestigingen-vo.csv", duo, "CC0 1.0"),
        Bron(f"{DUO}/examenkandidaten-en-geslaagden-2019-2024.csv",
             "duo/examenkandidaten-en-geslaagden-2019-2024.csv", duo, "CC0 1.0"),
        Bron(f"{DUO}/examenkandidaten-en-geslaagden-2020-2025.csv",
             "duo/examenkandidaten-en-geslaagden-2020-2025.csv", duo, "CC0 1.0"),
        # DUO's own forecast, scored next to ours (regioportret prognose --backtest).
        Bron(f"{DUO}/11-leerlingenprognose-vo-2012-2037.csv",
             "duo/11-leerlingenprognose-vo-2012-2037.csv", duo, "CC0 1.0"),
    ]
    lijst += [Bron(f"{DUO}/geslaagden-gezakten-en-cijfers-{j}-{j + 1}.csv",
                   f"duo/geslaagden-gezakten-en-cijfers-{j}-{j + 1}.csv", duo, "CC0 1.0") for j in jaren]
    lijst += [
        Bron(_wfs("gemeente_gegeneraliseerd", gebiedsjaar), f"geo/gemeente_{gebiedsjaar}.geojson",
             "CBS/PDOK Gebiedsindelingen", "CC BY 4.0"),
        Bron(_wfs("arbeidsmarktregio_gegeneraliseerd", gebiedsjaar), f"geo/arbeidsmarktregio_{gebiedsjaar}.geojson",
             "CBS/PDOK Gebiedsindelingen", "CC BY 4.0"),
        Bron(GEONAMES_NL, "geo/geonames-NL-pc4.txt", "GeoNames", "CC BY 4.0", uitpakken="NL.txt"),
    ]
    return lijst


def _jaren(tekst: str | None):
    if not tekst:
        return STANDAARD_JAREN
    if "-" in tekst:
        a, b = tekst.split("-", 1)
        return range(int(a), int(b) + 1)
    return [int(x) for x in tekst.split(",")]


def _herbasis(url: str, basis: str | None) -> str:
    """Point an official URL at a local mirror (tests): basis + /host/path?query."""
    if not basis:
        return url
    d = urlsplit(url)
    return f"{basis.rstrip('/')}/{d.netloc}{d.path}" + (f"?{d.query}" if d.query else "")


def download(url: str, doel: Path, sessie, voortgang: bool = True, blok: int = 1 << 16) -> Path:
    """Fetch `url` into `doel`, continuing a previous partial download."""
    from tqdm.auto import tqdm

    doel.parent.mkdir(parents=True, exist_ok=True)
    deel = doel.with_name(doel.name + ".part")
    al = deel.stat().st_size if deel.exists() else 0
    kop = {"Range": f"bytes={al}-"} if al else {}
    with sessie.get(url, headers=kop, stream=True, timeout=60) as r:
        if r.status_code == 416:  # the part file is already complete
            deel.rename(doel)
            return doel
        r.raise_for_status()
        if al and r.status_code != 206:  # server ignored the range: start over
            al = 0
        totaal = r.headers.get("Content-Length")
        totaal = int(totaal) + al if totaal else None
        with open(deel, "ab" if al else "wb") as f, tqdm(
                total=totaal, initial=al, unit="B", unit_scale=True, desc=doel.name, disable=not voortgang,
                leave=False) as balk:
            for stuk in r.iter_content(blok):
                f.write(stuk)
                balk.update(len(stuk))
    if totaal is not None and deel.stat().st_size != totaal:
        raise OSError(f"onvolledig: {deel.stat().st_size} van {totaal} bytes ontvangen")
    deel.rename(doel)
    return doel


def cbs_url(tabel: str, onderdeel: str, filter_: str | None = None) -> str:
    url = f"{CBS_ODATA}/{tabel}/{onderdeel}"
    return url + ("?" + urlencode({"$filter": filter_}, quote_via=quote) if filter_ else "")


def haal_cbs_op(out: Path, tabel: str, sessie, basis_url: str | None = None) -> Path:
    """One StatLine table as its endpoint responses (TableInfos, DataProperties, each
    dimension, TypedDataSet with every page of odata.nextLink), into out/cbs/<tabel>/.

    Written to a '.part' folder and renamed when complete: never a half table.
    """
    doel = Path(out) / "cbs" / tabel
    if (doel / "TypedDataSet.json").exists():
        return doel
    deel = doel.with_name(doel.name + ".part")
    shutil.rmtree(deel, ignore_errors=True)
    deel.mkdir(parents=True)

    def haal(url: str) -> dict:
        r = sessie.get(_herbasis(url, basis_url), timeout=120)
        r.raise_for_status()
        return r.json()

    def schrijf(naam: str, obj: dict) -> None:
        (deel / f"{naam}.json").write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")

    try:
        schrijf("TableInfos", haal(cbs_url(tabel, "TableInfos")))
        props = haal(cbs_url(tabel, "DataProperties"))
        schrijf("DataProperties", props)
        for p in props["value"]:
            if p.get("Type") in ("Dimension", "GeoDimension", "TimeDimension"):
                schrijf(p["Key"], haal(cbs_url(tabel, p["Key"])))
        eerste = haal(cbs_url(tabel, "TypedDataSet", CBS_FILTER))
        waarden, volgende = list(eerste["value"]), eerste.get("odata.nextLink")
        while volgende:  # StatLine pages large results (10,000 records per page)
            pagina = haal(volgende)
            waarden += pagina["value"]
            volgende = pagina.get("odata.nextLink")
        if not waarden:
            raise OSError(f"tabel {tabel} heeft geen cijfers per arbeidsmarktregio (filter {CBS_FILTER})")
        schrijf("TypedDataSet", {"odata.metadata": eerste["odata.metadata"], "value": waarden})
        wissel_in(deel, doel)
    except BaseException:
        shutil.rmtree(deel, ignore_errors=True)
        raise
    return doel


def haal_op(out: Path, jaren: str | None = None, basis_url: str | None = None, voortgang: bool = True,
            cbs_tabellen: list[str] | None = None, uwv_url: str | None = None) -> list[Path]:
    """Download every official source into `out`; raise one DataFout listing each failure.

    `cbs_tabellen`: StatLine table ids (default CBS_TABELLEN); `uwv_url`: the address of
    UWV's spanningsindicator spreadsheet (UWV changes it per edition, so it is not built in).
    """
    import requests
    from tqdm.auto import tqdm

    out = Path(out)
    lijst = bronnen(_jaren(jaren))
    if uwv_url:
        lijst.append(Bron(uwv_url, f"uwv/{Path(urlsplit(uwv_url).path).name or 'spanningsindicator.xlsx'}",
                          "UWV", "open data UWV"))
    gelukt, mislukt = [], []
    with requests.Session() as sessie:
        sessie.headers["User-Agent"] = "regioportret/0.1 (STO-regioportretten, open data)"
        for b in tqdm(lijst, desc="Officiële bestanden", unit="bestand", disable=not voortgang):
            doel = out / b.bestand
            if doel.exists():
                gelukt.append(doel)
                continue
            url = _herbasis(b.url, basis_url)
            try:
                if b.uitpakken:
                    archief = download(url, doel.with_suffix(".zip"), sessie, voortgang)
                    with zipfile.ZipFile(archief) as z, z.open(b.uitpakken) as bron:
                        schrijf_atomair(doel, bron.read())
                    archief.unlink()
                else:
                    download(url, doel, sessie, voortgang)
                gelukt.append(doel)
            except (requests.RequestException, OSError, zipfile.BadZipFile, KeyError) as e:
                mislukt.append(Probleem(melding=f"{b.bestand} van {b.url}: {e}"))
        tabellen = list(CBS_TABELLEN) if cbs_tabellen is None else cbs_tabellen
        for tabel in tqdm(tabellen, desc="CBS StatLine-tabellen", unit="tabel", disable=not voortgang):
            try:
                gelukt.append(haal_cbs_op(out, tabel, sessie, basis_url))
            except (requests.RequestException, OSError, KeyError, ValueError) as e:
                mislukt.append(Probleem(melding=f"CBS-tabel {tabel} van {CBS_ODATA}/{tabel}: {e}"))
    if mislukt:
        raise DataFout(out, mislukt, verwacht=(
            f"{len(lijst) + len(tabellen)} bestanden en tabellen; {len(gelukt)} gelukt. Probeer opnieuw: wat al binnen is, wordt overgeslagen "
            "en halve downloads gaan verder"))
    return gelukt
