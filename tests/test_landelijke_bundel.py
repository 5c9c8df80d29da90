"""The country's bundle is read from the cache in every page's kernel: what comes back must be
what the bases make, and a bundle pickled by other model code must never be read."""

from __future__ import annotations

import json
import pickle

from regioportret import store
from regioportret.context import Context
from regioportret.model import selectie


def _json(s) -> str:
    return json.dumps(s.als_dict(), sort_keys=True, default=str)


def test_bundel_uit_de_cache_is_de_berekende(demo_ctx):
    vers = selectie.maak(demo_ctx.grondslag, [], None, None, None, demo_ctx.definitie)
    # a new context over the same data (the shared one may hold its bundle in memory already)
    ctx = Context(demo_ctx.ds, demo_ctx.indeling, demo_ctx.jaar, demo_ctx.definitie)
    ctx.selectie()
    sleutel = f"{ctx.sleutel}-{ctx.jaar}-{ctx.definitie or 'standaard'}"
    bestand = store.cachemap() / "landelijk" / f"{sleutel}.{store.CACHE_FORMAAT}.pkl"
    assert bestand.is_file()
    gelezen = pickle.loads(bestand.read_bytes())  # what a page's kernel reads
    assert isinstance(gelezen, selectie.Selectie) and _json(gelezen) == _json(vers)
    assert [v.vestigingscode for v in gelezen.vestigingen] == [v.vestigingscode for v in vers.vestigingen]


def test_andere_modelcode_andere_sleutel(demo_ctx, monkeypatch):
    """Every cache of a context (bases, forecast, map, the country's bundle) is keyed by the
    model's code: after an upgrade nothing the old code made is read back."""
    ctx = Context(demo_ctx.ds, demo_ctx.indeling, demo_ctx.jaar, demo_ctx.definitie)
    ctx.selectie()
    oud = ctx.sleutel
    bestanden = {p.name for p in (store.cachemap() / "landelijk").glob("*.pkl")}
    assert any(oud in n for n in bestanden)
    store.code_vingerafdruk.cache_clear()
    monkeypatch.setattr(store.Path, "read_bytes", lambda self: b"andere code " + self.name.encode())
    try:
        nieuw = Context(demo_ctx.ds, demo_ctx.indeling, demo_ctx.jaar, demo_ctx.definitie).sleutel
        assert nieuw != oud and not any(nieuw in n for n in bestanden)
    finally:
        monkeypatch.undo()
        store.code_vingerafdruk.cache_clear()


def test_sjablonen_ook_als_de_cache_vol_is(monkeypatch, tmp_path):
    """A template renders when its compiled code cannot be written (a full disk)."""
    from jinja2 import FileSystemBytecodeCache

    from regioportret.views import sjabloon

    monkeypatch.setenv("REGIOPORTRET_CACHE", str(tmp_path))
    sjabloon.omgeving.cache_clear()

    def vol(self, bucket):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemBytecodeCache, "dump_bytecode", vol)
    try:
        assert "Legenda" in sjabloon.render("legenda.html", klasse="x", kop="Legenda", regels=[])
    finally:
        monkeypatch.undo()
        sjabloon.omgeving.cache_clear()
