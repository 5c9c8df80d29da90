"""The researchers' route (README): `voila notebooks/regioportret.ipynb` from the project's
folder. Voilà reads the folder's voila.json, so each page gets a fresh page kernel forked from
the voorraad (views.kernelvork), and the page works as in the app."""

from __future__ import annotations

import subprocess
import sys

import psutil
import pytest

from regioportret.views import kernelvork
from regioportret.views.app import PAGINAKERNEL, is_kernel, opdracht
from voila_proces import PROJECT, _vrije_poort, wacht_op_server

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not kernelvork.kan_vorken(), reason="fork with a pidfd: Linux only")]


def test_voila_op_het_notebook_gebruikt_de_paginakernel(browser):
    poort = _vrije_poort()
    proc = subprocess.Popen([sys.executable, "-m", "voila", "notebooks/regioportret.ipynb", "--no-browser",
                             "--Voila.ip=127.0.0.1", f"--port={poort}"], cwd=PROJECT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{poort}"
    try:
        wacht_op_server(url, proc, 90, "Voilà")
        page = browser.new_page()
        page.goto(url + "/", timeout=120_000)
        page.wait_for_selector("canvas.rp-stippen[data-rp-stippen]", timeout=120_000)
        assert page.locator("html").get_attribute("lang") == "nl"
        processen = psutil.Process(proc.pid).children(recursive=True)
        [voorraad] = [p for p in processen if kernelvork.MODULE in opdracht(p.cmdline())]
        kernels = [p for p in processen if is_kernel(p.cmdline())]
        assert kernels and all(k.ppid() == voorraad.pid and PAGINAKERNEL in opdracht(k.cmdline()) for k in kernels)
        page.close()
    finally:
        proc.terminate()
        proc.wait(30)
