"""Download the official raw files from their publishers (DUO, CBS/PDOK, GeoNames).

Which files: `DUO_REEKSEN` lists, per DUO series and year, the names DUO has published it
under (by teldatum year or by school year, CSV or XLSX, a comma in one year's name); the first
name the server has is taken, and a year none of them answers is reported. Robust: requests
with urllib3's Retry (backoff on 429/5xx and broken connections), resumable (`<file>.part`
continues with an HTTP Range request), atomic (renamed when complete), a complete file is
skipped, and every file fetched is logged with its URL, size and SHA-256 in `fetch.json`.
Every failure is reported (URL and reason) after all others were tried.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

from .errors import DataFout, Probleem
from .store import schrijf_atomair, sha256, wissel_in

DUO = "https://duo.nl/open_onderwijsdata/images"
PDOK_WFS = "https://service.pdok.nl/cbs/gebiedsindelingen/{jaar}/wfs/v1_0"
GEONAMES_NL = "https://download.geonames.org/export/zip/NL.zip"
# Teldatum years fetched by default: the first year of the ten profielen (2016-2017) up to the
# newest edition DUO publishes (students counted on 1 October 2025).
STANDAARD_JAREN = range(2016, 2026)
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
    alternatieven: tuple[str, ...] = field(default=())  # other published names, tried in order on a 404


# DUO's series and the names each edition is published under, newest layout first. `{j}` is
# the teldatum year (or the first year of the school year), `{k}` = j + 1. Kept here, in one
# place; docs/data.md lists the same (a test checks that they agree).
DUO_REEKSEN: dict[str, dict] = {
    "leerlingen": {
        "omschrijving": "01. Leerlingen vo per vestiging naar onderwijstype",
        "namen": ("01.-leerlingen-vo-per-vestiging-naar-onderwijstype-{j}.csv",
                  "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-{j}-{k}.csv",
                  "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-{j}.xlsx",
                  "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-{j}-{k}.xlsx"),
        "jaren": range(2016, 2026),
    },
    "resultaten": {
        "omschrijving": "Geslaagden, gezakten en gemiddelde examencijfers per instelling",
        "namen": ("geslaagden-gezakten-en-cijfers-{j}-{k}.csv", "geslaagden,-gezakten-en-cijfers-{j}-{k}.csv",
                  "geslaagden-gezakten-en-cijfers-{j}-{k}.xlsx"),
        "jaren": range(2016, 2025),
    },
}
# Five-year files: each covers the school years in its name; together 2014-2015 to 2024-2025.
DUO_EXAMENS = ("examenkandidaten-en-geslaagden-2014-2019.csv", "examenkandidaten-en-geslaagden-2019-2024.csv",
               "examenkandidaten-en-geslaagden-2020-2025.csv")
DUO_VESTIGINGEN = "02.-alle-vestigingen-vo.csv"
# DUO's own forecast: newest vintage first, the 2012-2037 one last.
DUO_PROGNOSE = ("11.-leerlingenprognose-vo-2024-2039.csv", "11-leerlingenprognose-vo-2024-2039.csv",
                "11.-leerlingenprognose-vo-2023-2038.csv", "11-leerlingenprognose-vo-2012-2037.csv")


def _duo(namen: tuple[str, ...], jaar: int | None = None) -> Bron:
    """One DUO file under its first known name, the others as alternatives (the file keeps the
    name the publisher gives it: the year in it is the teldatum)."""
    gevuld = [n.format(j=jaar, k=(jaar or 0) + 1) for n in namen]
    return Bron(f"{DUO}/{gevuld[0]}", f"duo/{gevuld[0]}", "DUO Open Onderwijsdata", "CC0 1.0",
                alternatieven=tuple(f"{DUO}/{n}" for n in gevuld[1:]))


def _wfs(laag: str, jaar: int) -> str:
    return (PDOK_WFS.format(jaar=jaar) + "?service=WFS&version=2.0.0&request=GetFeature"
            f"&typeName=gebiedsindelingen:{laag}&outputFormat=application/json&srsName=EPSG:4326")


def bronnen(jaren=STANDAARD_JAREN, gebiedsjaar: int = GEBIEDSINDELING_JAAR) -> list[Bron]:
    """The official files, in the layouts this package reads (see docs/data.md)."""
    jaren = list(jaren)
    lijst = [_duo(DUO_REEKSEN["leerlingen"]["namen"], j) for j in jaren
             if j in DUO_REEKSEN["leerlingen"]["jaren"]]
    lijst += [_duo((DUO_VESTIGINGEN,))]
    lijst += [_duo((naam,)) for naam in DUO_EXAMENS]
    lijst += [_duo(DUO_PROGNOSE)]  # DUO's own forecast, scored next to ours (prognose --backtest)
    lijst += [_duo(DUO_REEKSEN["resultaten"]["namen"], j) for j in jaren if j in DUO_REEKSEN["resultaten"]["jaren"]]
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
        if not any(str(w.get("RegioS", "")).strip().startswith("AM") for w in waarden):  # the national row alone
            raise OSError(f"tabel {tabel} heeft geen cijfers per arbeidsmarktregio (filter {CBS_FILTER})")
        schrijf("TypedDataSet", {"odata.metadata": eerste["odata.metadata"], "value": waarden})
        wissel_in(deel, doel)
    except BaseException:
        shutil.rmtree(deel, ignore_errors=True)
        raise
    return doel


RETRY = {"total": 5, "backoff_factor": 1.0, "status_forcelist": (429, 500, 502, 503, 504),
         "allowed_methods": ("GET", "HEAD"), "respect_retry_after_header": True, "raise_on_status": False}
LOG = "fetch.json"


def sessie_met_retries():
    """A requests session that retries with exponential backoff (urllib3's Retry): a publisher's
    hiccup (429, 5xx, a dropped connection) does not end a long fetch."""
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    sessie = requests.Session()
    sessie.headers["User-Agent"] = "regioportret/0.1 (STO-regioportretten, open data)"
    adapter = HTTPAdapter(max_retries=Retry(**RETRY))
    sessie.mount("https://", adapter)
    sessie.mount("http://", adapter)
    return sessie


def _haal_bron(b: Bron, out: Path, sessie, basis_url: str | None, voortgang: bool) -> tuple[Path, str]:
    """Fetch one source under the first of its names the server has; (file, URL it came from)."""
    import requests

    kandidaten = (b.url, *b.alternatieven)

    def doel_van(url: str) -> Path:  # an alternative keeps the publisher's name (its year is the teldatum)
        return out / b.bestand if url == b.url else out / Path(b.bestand).parent / Path(urlsplit(url).path).name

    for url in kandidaten:  # a file fetched before (under any of its names) is not fetched again
        if doel_van(url).exists():
            return doel_van(url), url
    fouten = []
    for url in kandidaten:
        doel = doel_van(url)
        try:
            if b.uitpakken:
                archief = download(_herbasis(url, basis_url), doel.with_suffix(".zip"), sessie, voortgang)
                with zipfile.ZipFile(archief) as z, z.open(b.uitpakken) as bron:
                    schrijf_atomair(doel, bron.read())
                archief.unlink()
            else:
                download(_herbasis(url, basis_url), doel, sessie, voortgang)
            return doel, url
        except requests.HTTPError as e:
            if e.response is not None and e.response.status_code in (404, 410) and url != kandidaten[-1]:
                fouten.append(f"{Path(urlsplit(url).path).name}: {e.response.status_code}")
                continue  # not under this name: try the next published name
            raise OSError("; ".join([*fouten, f"{url}: {e}"])) from None
    raise OSError("; ".join(fouten))


def _log(out: Path, regels: list[dict]) -> None:
    """fetch.json: every file with its URL, size, SHA-256 and when it was fetched (merged with earlier runs)."""
    pad = out / LOG
    oud = json.loads(pad.read_text(encoding="utf-8")) if pad.exists() else {"bestanden": []}
    per = {r["bestand"]: r for r in oud.get("bestanden", [])}
    per.update({r["bestand"]: r for r in regels})
    schrijf_atomair(pad, json.dumps({"bestanden": sorted(per.values(), key=lambda r: r["bestand"])},
                                    ensure_ascii=False, indent=1).encode("utf-8"))


def haal_op(out: Path, jaren: str | None = None, basis_url: str | None = None, voortgang: bool = True,
            cbs_tabellen: list[str] | None = None, uwv_url: str | None = None) -> list[Path]:
    """Download every official source into `out`; raise one DataFout listing each failure.

    `cbs_tabellen`: StatLine table ids (default CBS_TABELLEN); `uwv_url`: the address of
    UWV's spanningsindicator spreadsheet (UWV changes it per edition, so it is not built in).
    """
    import requests
    from tqdm.auto import tqdm

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    lijst = bronnen(_jaren(jaren))
    if uwv_url:
        lijst.append(Bron(uwv_url, f"uwv/{Path(urlsplit(uwv_url).path).name or 'spanningsindicator.xlsx'}",
                          "UWV", "open data UWV"))
    gelukt, mislukt, log = [], [], []
    with sessie_met_retries() as sessie:
        for b in tqdm(lijst, desc="Officiële bestanden", unit="bestand", disable=not voortgang):
            try:
                doel, url = _haal_bron(b, out, sessie, basis_url, voortgang)
                gelukt.append(doel)
                log.append({"bestand": str(doel.relative_to(out)), "url": url, "uitgever": b.uitgever,
                            "licentie": b.licentie, "bytes": doel.stat().st_size, "sha256": sha256(doel),
                            "opgehaald": datetime.now(UTC).isoformat(timespec="seconds")})
            except (requests.RequestException, OSError, zipfile.BadZipFile, KeyError) as e:
                namen = ", ".join(Path(urlsplit(u).path).name for u in (b.url, *b.alternatieven))
                mislukt.append(Probleem(melding=f"{b.bestand} van {b.url}"
                                        + (f" (ook geprobeerd: {namen})" if b.alternatieven else "") + f": {e}"))
        tabellen = list(CBS_TABELLEN) if cbs_tabellen is None else cbs_tabellen
        for tabel in tqdm(tabellen, desc="CBS StatLine-tabellen", unit="tabel", disable=not voortgang):
            try:
                gelukt.append(haal_cbs_op(out, tabel, sessie, basis_url))
            except (requests.RequestException, OSError, KeyError, ValueError) as e:
                mislukt.append(Probleem(melding=f"CBS-tabel {tabel} van {CBS_ODATA}/{tabel}: {e}"))
    _log(out, log)
    if mislukt:
        raise DataFout(out, mislukt, verwacht=(
            f"{len(lijst) + len(tabellen)} bestanden en tabellen; {len(gelukt)} gelukt. Probeer opnieuw: wat al binnen is, wordt overgeslagen "
            "en halve downloads gaan verder"))
    return gelukt
