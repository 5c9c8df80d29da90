"""The package installs as a normal package (`pip install .`, not editable): from another
folder, with the source tree out of reach, the CLI and the dashboard run on the embedded demo
data, and every document a page, PDF or message cites ships with it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from hulp import PROJECT

LIB = PROJECT / "lib" / "regioportret"


def test_elk_geciteerd_document_bestaat():
    """A page, a PDF or a message that says 'zie docs/x.md' points at a file the project has."""
    geciteerd = set()
    for pad in [*LIB.rglob("*.py"), *LIB.rglob("*.html"), *(PROJECT / "notebooks").glob("*.ipynb")]:
        geciteerd |= set(re.findall(r"docs/[\w-]+\.md", pad.read_text(encoding="utf-8")))
    assert geciteerd >= {"docs/regels.md", "docs/assumptions.md", "docs/data.md"}
    assert not [d for d in geciteerd if not (PROJECT / d).is_file()]
    assert "domain.md" not in "".join(p.read_text(encoding="utf-8") for p in LIB.rglob("*.py"))


@pytest.fixture(scope="module")
def geinstalleerd(tmp_path_factory):
    """A wheel built from the project, installed into a folder of its own."""
    tmp = tmp_path_factory.mktemp("installatie")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp / "wheel"),
                        str(PROJECT)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    wiel = next((tmp / "wheel").glob("regioportret-*.whl"))
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target",
                        str(tmp / "site"), str(wiel)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    return tmp


def _python(tmp, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tmp / "site"), "REGIOPORTRET_CACHE": str(tmp / "cache")}
    env.pop("REGIOPORTRET_DATA", None)
    werkmap = tmp / "elders"
    werkmap.mkdir(exist_ok=True)
    return subprocess.run([sys.executable, *args], cwd=werkmap, env=env, capture_output=True, text=True, timeout=600)


def test_cli_werkt_uit_een_gewone_installatie(geinstalleerd):
    r = _python(geinstalleerd, "-c", "import regioportret, regioportret.store as s; "
                "print(regioportret.__file__); print(s.demo_map()); print(s.pakketmap('notebooks')); "
                "print(s.pakketmap('voila')); print(s.pakketmap('docs'))")
    assert r.returncode == 0, r.stderr
    regels = r.stdout.split()
    assert all(str(geinstalleerd / "site") in x for x in regels), regels  # nothing from the source tree
    assert (geinstalleerd / "site" / "regioportret" / "docs" / "regels.md").is_file()
    r = _python(geinstalleerd, "-m", "regioportret.cli", "portret", "--regio", "12", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["demo"] and d["regios"][0]["regionummer"] == 12 and d["vestigingen"] and d["prognose"]["reeksen"]


def test_dashboard_werkt_uit_een_gewone_installatie(geinstalleerd):
    r = _python(geinstalleerd, "-c", "from regioportret.views.dashboard import Dashboard, open_dashboard; "
                "d = open_dashboard(); assert isinstance(d, Dashboard), d.value; d.kies([12]); "
                "print(d.panelen['kern'].value.count('rp-getal'))")
    assert r.returncode == 0, r.stderr[-2000:]
    assert int(r.stdout.strip()) >= 8
