"""A served page's kernel runs without pyarrow (views.paginakernel): the store's cache is
written so that it reads without it, a parquet read runs in a subprocess, and the app starts
its pages' kernels that way."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from regioportret import store
from regioportret.errors import DataFout

ZONDER = "from regioportret.views.paginakernel import zonder_zware_imports\nzonder_zware_imports()\n"


def _zonder_pyarrow(code: str) -> str:
    """Run `code` in a fresh Python as a page's kernel would (pyarrow and debugpy blocked)."""
    r = subprocess.run([sys.executable, "-c", ZONDER + code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


def _voorbeeld() -> pd.DataFrame:
    df = pd.DataFrame({"code": ["00AA00", None, "00CC00"], "n": [1, 2, 3],
                       "oud": pd.array(["a", None, "c"], dtype="string"),
                       "soort": pd.Categorical(["x", "y", "x"])}).set_index("code")
    df.attrs["bron"] = "test"
    return df


def test_de_cache_leest_zonder_pyarrow_en_met_de_eigen_opslag(tmp_path, monkeypatch):
    monkeypatch.setenv("REGIOPORTRET_CACHE", str(tmp_path))
    df = _voorbeeld()
    store.bewaard("proef", "sleutel", lambda: {"tabel": df, "reeks": (df["oud"],), "codes": df.index})
    [pad] = (tmp_path / "proef").glob("*.pkl")
    assert b"pyarrow" not in pad.read_bytes()  # text is stored by its values, not by pyarrow's arrays
    # read back here: the same frame, text in this process's own storage for pandas' str dtype
    terug = store.bewaard("proef", "sleutel", lambda: pytest.fail("niet uit de cache gelezen"))
    pd.testing.assert_frame_equal(terug["tabel"], df)
    assert terug["tabel"].index.dtype.storage == pd.StringDtype(na_value=np.nan).storage
    # and in a page's kernel, which has no pyarrow
    uit = _zonder_pyarrow(f"import pickle\nd = pickle.load(open({str(pad)!r}, 'rb'))\nt = d['tabel']\n"
                          "import json\nprint(json.dumps([t.index.dtype.storage, t.index.tolist(), t['oud'].tolist(), "
                          "t['soort'].tolist(), t['n'].tolist(), t.attrs, d['codes'].tolist()], default=str))")
    storage, index, oud, soort, n, attrs, codes = json.loads(uit)
    assert storage == "python"
    assert index[0::2] == ["00AA00", "00CC00"] and index[1] != index[1]  # the missing code stays NaN
    assert oud == ["a", "<NA>", "c"]  # pandas' "string" dtype keeps pd.NA (printed by json's default=str)
    assert soort == ["x", "y", "x"] and n == [1, 2, 3] and attrs == {"bron": "test"}
    assert codes[0::2] == ["00AA00", "00CC00"] and codes[1] != codes[1]


def _verwerkt(tmp_path):
    """A processed copy of the demo data (a folder the store reads as is)."""
    from regioportret.context import open_context

    doel = tmp_path / "verwerkt"
    shutil.copytree(open_context(None).ds.map, doel)
    return doel


def test_een_pagina_leest_parquet_in_een_subproces(tmp_path):
    map_ = _verwerkt(tmp_path)
    kolommen, filters = ["vestigingscode", "leerweg", "aantal"], [("leerjaar", "in", [3, 4])]
    hier = store.Dataset(map_).lees("leerlingen", kolommen, filters)
    uit = _zonder_pyarrow(
        f"from regioportret.store import Dataset, parquetlezer\nassert not parquetlezer()\n"
        f"d = Dataset({str(map_)!r}).lees('leerlingen', {kolommen!r}, {filters!r})\n"
        "import sys\nassert sys.modules['pyarrow'] is None\n"
        "print(d.dtypes.astype(str).to_dict())\nprint(d.to_csv(index=False), end='')")
    dtypes, csv = uit.split("\n", 1)
    assert len(hier) > 100 and csv == hier.to_csv(index=False)
    assert dtypes == str(hier.dtypes.astype(str).to_dict())


def test_een_beschadigd_bestand_in_de_pagina_is_een_duidelijke_fout(tmp_path, monkeypatch):
    map_ = _verwerkt(tmp_path)
    (map_ / "leerlingen.parquet").write_bytes(b"geen parquet")
    monkeypatch.setattr(store, "parquetlezer", lambda: False)  # as in a page's kernel
    with pytest.raises(DataFout) as e:
        store.Dataset(map_).lees("leerlingen", ["vestigingscode"])
    assert "leerlingen.parquet" in str(e.value) and "beschadigd" in str(e.value)


def test_na_het_voorbereiden_leest_het_dashboard_alleen_de_cache(tmp_path):
    """After `data cache` (the launcher runs it), a page's kernel builds the dashboard and ticks a
    region with no parquet read at all, and without pyarrow or the debugger loaded."""
    env = {**os.environ, "REGIOPORTRET_CACHE": str(tmp_path / "cache")}
    r = subprocess.run([sys.executable, "-m", "regioportret.cli", "data", "cache"], capture_output=True, text=True,
                       timeout=600, env=env)
    assert r.returncode == 0 and "Cache gevuld" in r.stdout, r.stderr[-2000:]
    code = ZONDER + (
        "import sys\nfrom regioportret import store\n"
        "def nee(*a):\n    raise AssertionError(f'parquet gelezen: {a}')\n"
        "store.elders = nee\n"
        "from regioportret.views.dashboard import toon_dashboard\n"
        "d = toon_dashboard()\nd.kies([1, 2])\nassert d.melding.value == '', d.melding.value\n"
        "print(d.selectie.kern.leerlingen_totaal, [m for m in ('pyarrow', 'debugpy') if sys.modules.get(m)])")
    uit = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)
    assert uit.returncode == 0, uit.stderr[-2000:]
    totaal, geladen = uit.stdout.strip().splitlines()[-1].split(" ", 1)
    assert int(totaal) > 0 and geladen == "[]"


def test_de_app_start_paginakernels():
    from regioportret.store import pakketmap
    from regioportret.views.app import PAGINAKERNEL, Paginakernels, is_kernel, paginakernel_argv

    argv = ["/venv/bin/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    assert paginakernel_argv(argv) == ["/venv/bin/python", "-m", PAGINAKERNEL, "-f", "{connection_file}"]
    assert paginakernel_argv(["R", "--slave"]) == ["R", "--slave"]  # another language: unchanged
    assert PAGINAKERNEL in Paginakernels().get_kernel_spec("python3").argv
    config = json.loads((pakketmap("voila") / "voila.json").read_text())
    assert config["VoilaConfiguration"]["kernel_spec_manager_class"] == "regioportret.views.app.Paginakernels"
    assert is_kernel(["python", "-m", PAGINAKERNEL, "-f", "/tmp/x/kernel-1a2b.json"])
    assert not is_kernel(["python", "-m", "regioportret.store", '["lees", "/data/leerlingen.parquet"]'])


@pytest.mark.parametrize("omgeving, melding", [
    ({"REGIOPORTRET_DATA": "/bestaat/niet"}, "de datamap bestaat niet"),
    ({"REGIOPORTRET_INDELING": "{tmp}/typo.csv"}, "onbekende vestigingscode 99ZZ99"),
    ({"REGIOPORTRET_INDELING": "{tmp}/weg.csv"}, "weg.csv: bestaat niet"),
])
def test_launcher_stopt_bij_slechte_invoer(tmp_path, omgeving, melding):
    """`make app DATA=/bestaatniet` or an indeling with a typo: the launcher stops with the
    command's Dutch message (file and what is wrong) and status 1; no server starts."""
    import os
    import subprocess
    import sys

    (tmp_path / "typo.csv").write_text("regionummer;regionaam;vestigingscode\n1;A;99ZZ99\n", encoding="utf-8")
    env = {**os.environ, "REGIOPORTRET_CACHE": str(tmp_path / "cache")}
    env.pop("REGIOPORTRET_DATA", None)
    env.update({k: v.format(tmp=tmp_path) for k, v in omgeving.items()})
    r = subprocess.run([sys.executable, "-m", "regioportret.views.app", "--port=1", "--no-browser"], env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1, r.stderr[-2000:]
    assert melding in r.stderr and "de app start niet" in r.stderr
    assert "Voila" not in r.stderr and "http://" not in r.stdout + r.stderr
