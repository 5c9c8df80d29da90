"""The official fetch, against a local HTTP server that mirrors the official URL paths."""

from __future__ import annotations

import io
import json
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from hulp import FIXTURES
from regioportret.errors import DataFout
from regioportret.fetch import CBS_FILTER, CBS_TABELLEN, _herbasis, bronnen, cbs_url, haal_op

CBS_FIXTURES = FIXTURES / "arbeidsmarkt" / "cbs"


def _sleutel(url: str) -> str:
    d = urlsplit(url)
    return f"/{d.netloc}{d.path}" + (f"?{d.query}" if d.query else "")


def cbs_spiegel(tabellen=tuple(CBS_TABELLEN), weglaten: str | None = None) -> dict[str, bytes]:
    """StatLine's OData endpoints for each table, from the fixtures, with TypedDataSet split
    over two pages joined by odata.nextLink (as StatLine pages large results)."""
    inhoud = {}
    for tabel in tabellen:
        for f in (CBS_FIXTURES / tabel).glob("*.json"):
            if f.stem == weglaten:
                continue
            obj = json.loads(f.read_text(encoding="utf-8"))
            if f.stem != "TypedDataSet":
                inhoud[_sleutel(cbs_url(tabel, f.stem))] = json.dumps(obj).encode()
                continue
            waarden, half = obj["value"], len(obj["value"]) // 2
            tweede = cbs_url(tabel, "TypedDataSet", CBS_FILTER) + f"&%24skip={half}"
            inhoud[_sleutel(cbs_url(tabel, "TypedDataSet", CBS_FILTER))] = json.dumps(
                {**obj, "value": waarden[:half], "odata.nextLink": tweede}).encode()
            inhoud[_sleutel(tweede)] = json.dumps({**obj, "value": waarden[half:]}).encode()
    return inhoud


class _Spiegel(BaseHTTPRequestHandler):
    bestanden: dict[str, bytes] = {}
    verzoeken: list[tuple[str, str | None]] = []

    def do_GET(self):  # noqa: N802
        pad = self.path  # /host/path?query
        type(self).verzoeken.append((pad, self.headers.get("Range")))
        data = self.bestanden.get(pad)
        if data is None:
            self.send_error(404)
            return
        bereik = self.headers.get("Range")
        if bereik:
            start = int(bereik.split("=")[1].split("-")[0])
            if start >= len(data):
                self.send_response(416)
                self.end_headers()
                return
            stuk = data[start:]
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            stuk = data
            self.send_response(200)
        self.send_header("Content-Length", str(len(stuk)))
        self.end_headers()
        self.wfile.write(stuk)

    def log_message(self, *args):
        pass


@pytest.fixture
def spiegel():
    inhoud = {}
    ll = (FIXTURES / "raw" / "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2019.csv").read_bytes()
    zipbuf = io.BytesIO()
    with zipfile.ZipFile(zipbuf, "w") as z:
        z.writestr("NL.txt", (FIXTURES / "raw" / "pc4.txt").read_text())
    for b in bronnen([2019]):
        d = urlsplit(b.url)
        sleutel = f"/{d.netloc}{d.path}" + (f"?{d.query}" if d.query else "")
        if "leerlingen" in b.url:
            inhoud[sleutel] = ll
        elif b.uitpakken:
            inhoud[sleutel] = zipbuf.getvalue()
        elif "geslaagden-gezakten" in b.url:
            continue  # this one is "missing" on the server
        else:
            inhoud[sleutel] = f"inhoud van {b.bestand}\n".encode() * 50
    inhoud.update(cbs_spiegel())
    _Spiegel.bestanden, _Spiegel.verzoeken = inhoud, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Spiegel)
    draad = threading.Thread(target=server.serve_forever, daemon=True)
    draad.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Spiegel
    server.shutdown()


def test_officiele_urls():
    urls = [b.url for b in bronnen([2019])]
    assert "https://duo.nl/open_onderwijsdata/images/01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2019.csv" in urls
    assert "https://duo.nl/open_onderwijsdata/images/02.-alle-vestigingen-vo.csv" in urls
    assert any(u.startswith("https://service.pdok.nl/cbs/gebiedsindelingen/") and "gemeente_gegeneraliseerd" in u
               for u in urls)
    assert _herbasis("https://duo.nl/a/b.csv?x=1", "http://127.0.0.1:9") == "http://127.0.0.1:9/duo.nl/a/b.csv?x=1"


def test_fetch_met_fout_per_bestand_en_hervatten(spiegel, tmp_path):
    basis, server = spiegel
    out = tmp_path / "ruw"
    # A previous, interrupted download of the student file:
    ll = (FIXTURES / "raw" / "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2019.csv").read_bytes()
    deel = out / "duo" / "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2019.csv.part"
    deel.parent.mkdir(parents=True)
    deel.write_bytes(ll[:500])
    with pytest.raises(DataFout) as e:
        haal_op(out, jaren="2019", basis_url=basis, voortgang=False)
    m = str(e.value)
    assert "geslaagden-gezakten-en-cijfers-2019-2020.csv" in m and "404" in m
    assert "gelukt" in m
    # resumed with a Range request and completed byte for byte
    doel = out / "duo" / "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2019.csv"
    assert doel.read_bytes() == ll and not deel.exists()
    assert ("bytes=500-" in [r for p, r in server.verzoeken if "leerlingen" in p])
    # the zip was unpacked to the GeoNames text file
    assert (out / "geo" / "geonames-NL-pc4.txt").read_text() == (FIXTURES / "raw" / "pc4.txt").read_text()
    assert not list(out.rglob("*.part")) and not list(out.rglob("*.zip"))
    # A second run skips what is complete and still names the missing file
    aantal = len(server.verzoeken)
    with pytest.raises(DataFout, match="geslaagden-gezakten"):
        haal_op(out, jaren="2019", basis_url=basis, voortgang=False)
    assert len(server.verzoeken) == aantal + 1
    # and the fetched folder builds: the layouts were recognised by header
    from regioportret.store import bouw

    (out / "geo" / "gemeente_2024.geojson").unlink()  # our mirror served placeholder text there
    (out / "geo" / "arbeidsmarktregio_2024.geojson").unlink()
    for p in Path(out / "duo").glob("0[2]*"):
        p.unlink()
    for p in Path(out / "duo").glob("examen*"):
        p.unlink()
    (out / "duo" / "11-leerlingenprognose-vo-2012-2037.csv").unlink()
    bouw(out, tmp_path / "verwerkt", voortgang=False)
    # the CBS tables arrived whole (both pages) and read as the fixtures do
    import pandas as pd

    from regioportret.sources.arbeidsmarkt import lees_cbs

    for tabel in CBS_TABELLEN:
        opgehaald = json.loads((out / "cbs" / tabel / "TypedDataSet.json").read_text(encoding="utf-8"))
        origineel = json.loads((CBS_FIXTURES / tabel / "TypedDataSet.json").read_text(encoding="utf-8"))
        assert opgehaald["value"] == origineel["value"] and "odata.nextLink" not in opgehaald
        a = lees_cbs(out / "cbs" / tabel / "TypedDataSet.json").drop(columns="bron")
        b = lees_cbs(CBS_FIXTURES / tabel / "TypedDataSet.json").drop(columns="bron")
        pd.testing.assert_frame_equal(a, b)
    verwerkt = pd.read_parquet(tmp_path / "verwerkt" / "arbeidsmarkt.parquet")
    assert set(verwerkt["tabel"]) == set(CBS_TABELLEN)


def test_cbs_tabel_mislukt_zonder_halve_map(tmp_path):
    """A dimension StatLine does not serve: the failure names table and URL; nothing half."""
    _Spiegel.bestanden, _Spiegel.verzoeken = cbs_spiegel(("85494NED",), weglaten="Persoonskenmerken"), []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Spiegel)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(DataFout) as e:
            haal_op(tmp_path, jaren="2019", basis_url=f"http://127.0.0.1:{server.server_address[1]}",
                    voortgang=False, cbs_tabellen=["85494NED"])
    finally:
        server.shutdown()
    assert "CBS-tabel 85494NED" in str(e.value) and "Persoonskenmerken" in str(e.value)
    assert not (tmp_path / "cbs" / "85494NED").exists() and not list(tmp_path.rglob("*.part"))
