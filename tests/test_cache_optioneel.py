"""The cache is only a speed-up: when it cannot be written (missing, read-only, full) every page
and command works without it, says once in the server log why, and never shows the OSError; a
write failure of a user's output is called a write failure and names that output."""

from __future__ import annotations

import errno
import json
import logging
import subprocess
import sys

import pandas as pd
import pytest

from hulp import FIXTURES
from regioportret import store
from regioportret.errors import SchrijfFout

ONBRUIKBAAR = "is niet te gebruiken"


def _cli(*args, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "regioportret.cli", *map(str, args)], capture_output=True,
                          text=True, timeout=300, env=env)


@pytest.fixture
def kapotte_cache(tmp_path, monkeypatch):
    """A cache folder that cannot be made: its parent is a regular file (like a read-only or
    missing place: every write fails)."""
    bestand = tmp_path / "geen-map"
    bestand.write_text("x", encoding="utf-8")
    monkeypatch.setenv("REGIOPORTRET_CACHE", str(bestand / "cache"))
    return bestand / "cache"


def test_commandos_werken_zonder_cache(kapotte_cache, tmp_path):
    import os

    env = {**os.environ, "REGIOPORTRET_CACHE": str(kapotte_cache)}
    r = _cli("portret", "--data", FIXTURES / "raw", "--json", env=env)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["leerlingen"]
    assert r.stderr.count(ONBRUIKBAAR) == 1  # said once, in the log
    assert "Traceback" not in r.stderr and "onverwachte fout" not in r.stderr
    r = _cli("export", "--data", FIXTURES / "raw", "--regio", "44", "--xlsx", tmp_path / "a.xlsx", env=env)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "a.xlsx").is_file() and r.stderr.count(ONBRUIKBAAR) == 1


def test_paginas_werken_zonder_cache(kapotte_cache):
    from regioportret.context import open_context
    from regioportret.views import panelen
    from regioportret.views.dashboard import Dashboard, open_dashboard

    d = open_dashboard(data=FIXTURES / "raw")
    assert isinstance(d, Dashboard), getattr(d, "value", d)
    d.verwerk_verzoek("44")
    ctx = open_context(FIXTURES / "raw")
    s = ctx.selectie([44])
    tekst = panelen.kerncijfers(s) + panelen.prognose(s)
    assert "OSError" not in tekst and "NotADirectory" not in tekst
    assert not kapotte_cache.exists()


def test_een_volle_schijf_houdt_de_waarde_en_zegt_het_een_keer(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("REGIOPORTRET_CACHE", str(tmp_path / "cache"))

    def vol(waarde, pad):
        raise OSError(errno.ENOSPC, "No space left on device", str(pad))

    monkeypatch.setattr(store, "bewaar_pickle", vol)
    log = logging.getLogger("regioportret")  # a page kernel stops it at the server's log: listen there
    monkeypatch.setattr(log, "propagate", False)  # each record once, whatever earlier tests set up
    log.addHandler(caplog.handler)
    try:
        assert store.bewaard("proef", "a", lambda: 41) == 41
        assert store.bewaard("proef", "b", lambda: 42) == 42
    finally:
        log.removeHandler(caplog.handler)
    meldingen = [r for r in caplog.records if ONBRUIKBAAR in r.getMessage()]
    assert len(meldingen) == 1 and "schijf is vol" in meldingen[0].getMessage()


def test_een_ruwe_map_wordt_buiten_een_volle_cache_gebouwd(tmp_path, monkeypatch, raw):
    cache = tmp_path / "cache"
    monkeypatch.setenv("REGIOPORTRET_CACHE", str(cache))
    echt = pd.DataFrame.to_parquet

    def vol_in_de_cache(self, pad, *a, **k):
        if str(pad).startswith(str(cache)):
            raise OSError(errno.ENOSPC, "No space left on device", str(pad))
        return echt(self, pad, *a, **k)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", vol_in_de_cache)
    ds = store.laad(raw)
    assert not str(ds.map).startswith(str(cache)) and len(ds.leerlingen)
    assert store.laad(raw).map == ds.map  # built once per process


def test_schrijffouten_heten_schrijffouten_en_noemen_de_uitvoer(tmp_path):
    bestand = tmp_path / "een-bestand"
    bestand.write_text("x", encoding="utf-8")
    for args, uitvoer in ((("export", "--data", FIXTURES / "raw", "--xlsx", bestand / "a.xlsx"), bestand / "a.xlsx"),
                          (("render", "--data", FIXTURES / "raw", "--regio", "44", "--pdf", bestand / "p.pdf"),
                           bestand / "p.pdf"),
                          (("data", "build", "--raw", FIXTURES / "raw", "--out", bestand / "uit"), bestand / "uit")):
        r = _cli(*args)
        assert r.returncode == 1, (args, r.stderr)
        assert f"{uitvoer}: kan niet geschreven worden" in r.stderr, r.stderr
        assert "gelezen" not in r.stderr and ".tmp" not in r.stderr and "Traceback" not in r.stderr


def test_schrijffout_reden_in_het_nederlands(tmp_path):
    e = SchrijfFout(tmp_path / "a.pdf", OSError(errno.EROFS, "Read-only file system"))
    assert str(e) == f"{tmp_path / 'a.pdf'}: kan niet geschreven worden (de schijf is alleen-lezen). " \
                     "Kies een andere plek of maak ruimte vrij."
    (tmp_path / "een").write_text("", encoding="utf-8")  # a file where a folder should be
    with pytest.raises(SchrijfFout, match="kan niet geschreven worden"):
        store.schrijf_atomair(tmp_path / "een" / "b.txt", "x")
    assert not list(tmp_path.glob("**/*.tmp"))
