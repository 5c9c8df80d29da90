"""The processed store: atomic builds, lazy loading, the raw-folder cache."""

from __future__ import annotations

import json

import pytest

import regioportret as rp
from regioportret.errors import DataFout
from regioportret.store import Dataset, bouw, is_verwerkt, laad


def test_bouw_schrijft_manifest_en_tabellen(raw, tmp_path):
    out = bouw(raw, tmp_path / "verwerkt", voortgang=False)
    assert is_verwerkt(out)
    m = json.loads((out / "manifest.json").read_text())
    assert m["jaren"]["leerlingen"] == [2019, 2023]
    assert {b["layout"] for b in m["bronnen"]} >= {"duo-leerlingen-brin", "duo-leerlingen-instellingscode"}
    assert all(len(b["sha256"]) == 64 for b in m["bronnen"])
    ds = Dataset(out)
    assert set(ds.leerlingen["jaar"]) == {2019, 2023}  # several years become one table
    assert ds.gemeenten is not None and ds.arbeidsmarktregios is not None


def test_mislukte_bouw_laat_vorige_intact(raw, tmp_path):
    out = bouw(raw, tmp_path / "uit" / "verwerkt", voortgang=False)
    voor = (out / "manifest.json").read_text()
    kapot = raw / "01.-leerlingen-vo-per-vestiging-naar-onderwijstype-2019.csv"
    kapot.write_bytes(kapot.read_bytes().replace(b"Produceren, installeren en energie;6111", b"Onzin;6111"))
    with pytest.raises(DataFout):
        bouw(raw, out, voortgang=False)
    assert (out / "manifest.json").read_text() == voor
    assert sorted(p.name for p in out.parent.iterdir()) == ["verwerkt"]  # no temporary folders left


def test_geen_leerlingenbestand(tmp_path):
    (tmp_path / "leeg").mkdir()
    with pytest.raises(DataFout, match="geen bestand met leerlingen"):
        bouw(tmp_path / "leeg", tmp_path / "uit")


def test_laad_ruwe_map_gebruikt_cache(raw):
    a = laad(raw)
    b = laad(raw)
    assert a.map == b.map and is_verwerkt(a.map)
    (raw / "extra.txt").write_text("iets")  # the folder changed: a new build
    assert laad(raw).map != a.map


def test_laad_verwerkte_map_direct(raw, tmp_path):
    out = bouw(raw, tmp_path / "verwerkt", voortgang=False)
    assert laad(out).map == out


def test_regioportret_data_env(raw, monkeypatch):
    monkeypatch.setenv("REGIOPORTRET_DATA", str(raw))
    assert laad().manifest["raw"] == str(raw.resolve())


def test_demo_is_standaard(monkeypatch):
    monkeypatch.delenv("REGIOPORTRET_DATA", raising=False)
    assert rp.laad().is_demo


def test_onbestaande_map():
    with pytest.raises(DataFout, match="de datamap bestaat niet"):
        laad("/bestaat/niet")


def test_gelijktijdig_laden_bouwt_een_keer(raw, monkeypatch):
    """Several kernels opening the same raw folder at once (preheated Voilà pools) build it once."""
    import threading
    import time

    from regioportret import store

    echt, aanroepen = store.bouw, []

    def traag(*args, **kwargs):
        aanroepen.append(1)
        time.sleep(0.5)  # widen the window in which a second loader could start its own build
        return echt(*args, **kwargs)

    monkeypatch.setattr(store, "bouw", traag)
    kaarten, fouten = [], []

    def open_():
        try:
            kaarten.append(store.laad(raw).map)
        except Exception as e:  # collected and asserted below
            fouten.append(e)

    draden = [threading.Thread(target=open_) for _ in range(4)]
    for d in draden:
        d.start()
    for d in draden:
        d.join(60)
    assert not fouten and len(set(kaarten)) == 1
    assert len(aanroepen) == 1


def test_kleine_tabellen_uit_de_cache_volgen_een_nieuwe_bouw(raw, tmp_path):
    """A page reads the small tables (addresses, locations) and the known codes from the cache:
    rebuilt in place from changed files, even within the same second, they follow."""
    uit = tmp_path / "verwerkt"
    bouw(raw, uit)
    ds = Dataset(uit)
    assert ds.vestigingen.set_index("vestigingscode").at["99AA01", "vestigingsnaam"] == "Vakcollege Kampen"
    assert "99AA01" in ds.vestigingscodes()
    pad = raw / "alle-vestigingen.csv"
    pad.write_bytes(pad.read_bytes().replace(b"Vakcollege Kampen", b"Vakcollege IJsselmuiden"))
    bouw(raw, uit)
    nieuw = Dataset(uit)
    assert nieuw.cachesleutel != ds.cachesleutel
    assert nieuw.vestigingen.set_index("vestigingscode").at["99AA01", "vestigingsnaam"] == "Vakcollege IJsselmuiden"
