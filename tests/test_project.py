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


def test_environment_yml_gelijk_aan_pyproject():
    import yaml

    py = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    verwacht = dict(_naam(s) for s in py["dependencies"] + py["optional-dependencies"]["test"])
    env = yaml.safe_load((PROJECT / "environment.yml").read_text())
    conda = dict(_naam(s) for s in env["dependencies"] if isinstance(s, str) and not s.startswith(("python", "pip")))
    assert conda == verwacht
    pip = next(s for s in env["dependencies"] if isinstance(s, dict))["pip"]
    assert pip == ["-e ."]


LAGEN = {"sources": 0, "store": 1, "fetch": 1, "demo": 1, "model": 2, "views": 3, "cli": 4}


def _laag(module: str) -> int | None:
    delen = module.split(".")
    return LAGEN.get(delen[1]) if len(delen) > 1 and delen[0] == "regioportret" else None


def _imports(pad: Path) -> set[str]:
    pakket = ".".join(pad.relative_to(LIB.parent).with_suffix("").parts)
    if pad.name == "__init__.py":
        pakket = pakket.rsplit(".", 1)[0] + ".__init__"
    uit = set()
    for node in ast.walk(ast.parse(pad.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                basis = pakket.split(".")[: -node.level]
                uit.add(".".join(basis + ([node.module] if node.module else [])))
            elif node.module:
                uit.add(node.module)
        elif isinstance(node, ast.Import):
            uit.update(a.name for a in node.names)
    return uit


@pytest.mark.parametrize("pad", sorted(LIB.rglob("*.py")), ids=lambda p: str(p.relative_to(LIB)))
def test_lagen_wijzen_een_kant_op(pad):
    eigen = _laag(".".join(pad.relative_to(LIB.parent).with_suffix("").parts))
    if eigen is None:
        return
    for imp in _imports(pad):
        andere = _laag(imp)
        assert andere is None or andere <= eigen, f"{pad.name} ({eigen}) imports {imp} ({andere})"


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

    r = subprocess.run(["git", "ls-files"], cwd=PROJECT, capture_output=True, text=True)
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
