"""The portrait page in a real browser: the figures on the page equal the package's."""

from __future__ import annotations

import os
import re

import pytest

import regioportret as rp
from regioportret.model import actieve_indeling, portret
from regioportret.views.format import getal, procent

pytestmark = pytest.mark.browser


def _kaarten(page) -> dict[str, str]:
    page.wait_for_selector(".rp-kaart", timeout=90_000)
    uit = {}
    for k in page.query_selector_all(".rp-kaart"):
        uit[k.query_selector(".rp-label").inner_text().strip()] = k.query_selector(".rp-getal").inner_text().strip()
    return uit


def _verwacht(data=None) -> dict[str, str]:
    ds = rp.laad(data)
    p = portret(ds, actieve_indeling(ds))
    uit = {f"leerlingen {k} lj 3-4": getal(v) for k, v in p.leerlingen().items()}
    uit["in technische profielen"] = getal(p.techniek())
    uit["techniekaandeel"] = procent(p.techniekaandeel())
    uit["techniekarm"] = "ja" if p.techniekarm() else "nee"
    uit[f"van {getal(p.vestigingen())} vestigingen met techniek"] = getal(p.vestigingen_met_techniek())
    return uit


def test_portretpagina_demo(browser, voila_demo):
    page = browser.new_page()
    page.goto(voila_demo.url + "/voila/render/regioportret.ipynb", timeout=90_000)
    assert _kaarten(page) == _verwacht()
    tekst = page.inner_text("body")
    assert "Demodata, fictieve scholen" in tekst
    assert "teldatum 2024-10-01" in tekst
    assert "Traceback" not in tekst and "toon_portret" not in tekst  # sources stripped
    assert re.search(r"Per regio \(demo-indeling", tekst)
    page.close()


def test_portretpagina_echte_data(browser):
    echt = os.environ.get("REGIOPORTRET_REAL_DATA")
    if not echt:
        pytest.skip("REGIOPORTRET_REAL_DATA is niet gezet")
    from voila_proces import Voila

    v = Voila(echt)
    try:
        page = browser.new_page()
        page.goto(v.url + "/voila/render/regioportret.ipynb", timeout=120_000)
        assert _kaarten(page) == _verwacht(echt)
        tekst = page.inner_text("body")
        assert "voorbeeldindeling, geen officiële STO-indeling" in tekst
        assert "Demodata" not in tekst
        page.close()
    finally:
        v.stop()
