"""Project hygiene: environment files agree, layers point one way, notebooks stay thin and clean."""

from __future__ import annotations

import ast
import json
import re
import tomllib
from pathlib import Path

import pytest

from hulp import PROJECT

LIB = PROJECT / "lib" / "regioportret"


def _naam(spec: str) -> tuple[str, str]:
    spec = re.sub(r"\[.*?\]", "", spec.strip())
    m = re.match(r"^([A-Za-z0-9_.-]+)\s*(.*)$", spec)
    return m[1].lower().replace("_", "-"), m[2].replace(" ", "")


# PyPI name -> conda-forge name, where they differ (conda-forge's playwright-python feedstock).
CONDA_NAMEN = {"playwright": "playwright-python"}


PIP_ALLEEN = {"axe-playwright-python"}  # installed by pip in environment.yml too


def test_environment_yml_gelijk_aan_pyproject():
    import yaml

    py = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    verwacht = {CONDA_NAMEN.get(n, n): v for n, v in (_naam(s) for s in py["dependencies"]
                                                       + py["optional-dependencies"]["test"])}
    env = yaml.safe_load((PROJECT / "environment.yml").read_text())
    conda = dict(_naam(s) for s in env["dependencies"] if isinstance(s, str) and not s.startswith(("python", "pip")))
    pip = next(s for s in env["dependencies"] if isinstance(s, dict))["pip"]
    assert pip[0] == "-e ."
    alleen_pip = dict(_naam(s) for s in pip[1:])  # packages conda-forge does not carry
    assert set(alleen_pip) == PIP_ALLEEN
    assert {**conda, **alleen_pip} == verwacht and not set(conda) & set(alleen_pip)


# sources -> store -> context -> model -> bundle -> views / CLI. The context uses the model; the
# model is pure and is handed its data. (fetch and demo write raw files, next to the store.)
LAGEN = {"sources": 0, "store": 1, "fetch": 1, "demo": 1, "model": 2, "context": 3, "views": 4, "cli": 5}
VERBODEN = {  # beyond "never a higher layer": what a layer must not import although it is lower
    "model": {"sources", "store", "fetch", "demo"},
    "views": {"sources", "fetch", "demo"},
}


def _laag(module: str) -> str | None:
    delen = module.split(".")
    return delen[1] if len(delen) > 1 and delen[0] == "regioportret" and delen[1] in LAGEN else None


def _imports(pad: Path) -> set[str]:
    pakket = ".".join(pad.relative_to(LIB.parent).with_suffix("").parts)
    if pad.name == "__init__.py":
        pakket = pakket.rsplit(".", 1)[0] + ".__init__"
    uit = set()
    for node in ast.walk(ast.parse(pad.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                basis = pakket.split(".")[: -node.level]
                mod = ".".join(basis + ([node.module] if node.module else []))
                uit.add(mod)
                if not node.module:  # "from . import x": x is a module of that package
                    uit.update(f"{mod}.{a.name}" for a in node.names)
            elif node.module:
                uit.add(node.module)
                uit.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            uit.update(a.name for a in node.names)
    return uit


def overtredingen(module: str, imports: set[str]) -> list[str]:
    eigen = _laag(module)
    if eigen is None:
        return []
    uit = []
    for imp in sorted(imports):
        andere = _laag(imp)
        if andere is None or andere == eigen:
            continue
        if LAGEN[andere] > LAGEN[eigen]:
            uit.append(f"{module} ({eigen}) imports {imp} ({andere}): a higher layer")
        elif andere in VERBODEN.get(eigen, ()):
            uit.append(f"{module} ({eigen}) may not import {imp} ({andere})")
    return uit


@pytest.mark.parametrize("pad", sorted(LIB.rglob("*.py")), ids=lambda p: str(p.relative_to(LIB)))
def test_lagen_wijzen_een_kant_op(pad):
    assert overtredingen(".".join(pad.relative_to(LIB.parent).with_suffix("").parts), _imports(pad)) == []


def test_lagentest_kan_falen():
    """The check catches each kind of wrong import, and lets the right ones through."""
    assert overtredingen("regioportret.model.x", {"regioportret.store"})
    assert overtredingen("regioportret.model.x", {"regioportret.sources.indeling"})
    assert overtredingen("regioportret.model.x", {"regioportret.context"})
    assert overtredingen("regioportret.views.x", {"regioportret.sources._csv"})
    assert overtredingen("regioportret.store", {"regioportret.views.panelen"})
    assert not overtredingen("regioportret.views.x", {"regioportret.context", "regioportret.model.selectie",
                                                      "regioportret.store", "regioportret.format"})
    assert not overtredingen("regioportret.context", {"regioportret.model", "regioportret.store",
                                                      "regioportret.sources.indeling"})


ONZUIVER_IMPORT = {"os", "pathlib", "shutil", "pickle", "tempfile", "glob", "filelock", "platformdirs", "requests"}
ONZUIVERE_AANROEP = {"open", "read_parquet", "to_parquet", "read_pickle", "to_pickle", "read_csv", "to_csv",
                     "read_excel", "getenv", "write_text", "write_bytes", "read_text", "read_bytes"}


def onzuiver(bron: str, naam: str = "") -> list[str]:
    uit = []
    for node in ast.walk(ast.parse(bron)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            namen = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            if {n.split(".")[0] for n in namen} & ONZUIVER_IMPORT:
                uit.append(f"{naam}:{node.lineno} import {namen}")
        elif isinstance(node, ast.Call):
            f = node.func
            aanroep = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            if aanroep in ONZUIVERE_AANROEP:
                uit.append(f"{naam}:{node.lineno} calls {aanroep}")
        elif isinstance(node, ast.Attribute) and node.attr == "environ":
            uit.append(f"{naam}:{node.lineno} reads the environment")
    return uit


@pytest.mark.parametrize("pad", sorted((LIB / "model").glob("*.py")), ids=lambda p: p.name)
def test_model_is_zuiver(pad):
    """model/ touches no file, environment variable or cache: it is handed its data."""
    assert onzuiver(pad.read_text(), pad.name) == []


def test_zuiverheidstest_kan_falen():
    for fout in ("import os", "from pathlib import Path", "x = open('f')", "pd.read_parquet(p)",
                 "import os.path as p", "v = os.environ['X']", "b.to_pickle(p)"):
        assert onzuiver(fout), fout
    assert not onzuiver("import pandas as pd\nx = pd.DataFrame()")


NOTEBOOKS = sorted((PROJECT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("pad", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_schoon_en_dun(pad):
    nb = json.loads(pad.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] and c["execution_count"] is None for c in code), "commit notebooks without outputs"
    assert any("parameters" in c["metadata"].get("tags", []) for c in code), "papermill parameters cell"
    for c in code:
        regels = [r for r in "".join(c["source"]).splitlines() if r.strip() and not r.strip().startswith("#")]
        assert len(regels) <= 15, "notebook cells stay thin: logic belongs in lib/"


def test_geen_verdwaalde_bestanden():
    import subprocess

    r = subprocess.run(["git", "ls-files"], cwd=PROJECT, capture_output=True, text=True, timeout=300)
    if r.returncode:
        pytest.skip("geen git-checkout")
    bestanden = r.stdout.splitlines()
    assert not [f for f in bestanden if "Untitled" in f or ".ipynb_checkpoints" in f or "__pycache__" in f]


def test_reproduceer_voert_elk_notebook_uit_met_papermill(tmp_path):
    """`make reproduce`: every notebook re-executed with its parameters, outputs written."""
    from regioportret.views.reproduce import reproduceer

    gemaakt = reproduceer(tmp_path, str(PROJECT / "tests" / "fixtures" / "raw"))
    assert sorted(p.name for p in gemaakt) == sorted(p.name for p in NOTEBOOKS)
    for p in gemaakt:
        nb = json.loads(p.read_text())
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        geinjecteerd = [c for c in code if "injected-parameters" in c["metadata"].get("tags", [])]
        assert geinjecteerd and "fixtures/raw" in "".join(geinjecteerd[0]["source"])
        assert all(c["execution_count"] for c in code)
        fouten = [o for c in code for o in c["outputs"] if o.get("output_type") == "error"]
        assert not fouten
    html = json.dumps(json.loads((tmp_path / "regioportret.ipynb").read_text()))
    assert "voorbeeldindeling" in html  # the fixture folder has no indeling of its own


def test_alleen_de_drukke_paginas_krijgen_een_voorverwarmde_kernel():
    """The launcher's deny list, run through Voilà's own filter on absolute paths: only the
    dashboard and the form get a preheated kernel (a notebook never served got one before)."""
    from types import SimpleNamespace

    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    from regioportret.views.app import VOORVERWARMD, niet_voorverwarmen

    filter_ = voila_kernel_manager_factory(AsyncMappingKernelManager, True, 1)._notebook_filter
    lijst = SimpleNamespace(preheat_denylist=niet_voorverwarmen(PROJECT / "notebooks"))
    warm = {p.name for p in NOTEBOOKS if filter_(lijst, p.resolve())}
    assert warm == set(VOORVERWARMD) and "verkenning.ipynb" not in warm


def test_zware_bibliotheken_niet_op_het_pad_van_het_dashboard():
    """Opening the dashboard module loads no geometry, plotting or PDF library: they come when a
    user asks for a PDF, the builder, or a data build (a page's kernel stays light)."""
    import subprocess
    import sys

    code = ("import sys, regioportret.views.dashboard, regioportret.context; "
            "print(sorted(m for m in ('geopandas', 'shapely', 'pyogrio', 'matplotlib', 'weasyprint') "
            "if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_drukte_telt_ook_kernels_die_nog_starten():
    """The 'het is druk' limit counts kernels that are starting (jupyter_client lists them only once
    ready) and stopping: a refilling preheat pool must not let one visitor too many in."""
    from regioportret.views.app import kernels_in_gebruik

    class Beheer:
        _pending_kernels = {"c": object(), "a": object()}  # c starts, a stops

        @staticmethod
        def list_kernel_ids():
            return ["a", "b"]

    assert kernels_in_gebruik(Beheer()) == 3

    class Oud:  # a manager without the attribute: its listed kernels
        @staticmethod
        def list_kernel_ids():
            return ["a"]

    assert kernels_in_gebruik(Oud()) == 1


def test_kleuren_alleen_uit_palet_en_geen_html_in_f_strings():
    """Colours come from views/palet.py only (code and templates), and no view builds HTML in an
    f-string (the templates do, autoescaped). The check can fail: it finds the literals it forbids."""
    lib = PROJECT / "lib" / "regioportret"
    kleur = re.compile(r"""['"]#[0-9a-fA-F]{3,8}\b""")
    kleur_sjabloon = re.compile(r"(?<![{\w])#[0-9a-fA-F]{3,8}\b")
    html_f = re.compile(r"""\bf["']{1,3}\s*<[a-zA-Z/!]""")
    fout = [f"{p.relative_to(PROJECT)}:{i}" for p in lib.rglob("*.py") if p.name != "palet.py"
            for i, regel in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if kleur.search(regel)]
    fout += [f"{p.relative_to(PROJECT)}:{i}" for p in (lib / "views" / "sjablonen").glob("*.html")
             for i, regel in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if kleur_sjabloon.search(regel)]
    fout += [f"{p.relative_to(PROJECT)}:{i} (HTML in een f-string)" for p in (lib / "views").glob("*.py")
             for i, regel in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if html_f.search(regel)]
    assert not fout, fout
    assert kleur.search('x = "#c92a2a"') and html_f.search('f"<div>{x}</div>"') and not html_f.search('f"<= {g} km"')
    assert kleur_sjabloon.search('style="color:#fff"') and not kleur_sjabloon.search("{#- a comment #}")
