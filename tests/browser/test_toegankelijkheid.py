"""Accessibility (issue 24, point 6): axe-core, in the browser, on every page a user opens: the
dashboard, the application form, the region builder, the prognose page and the static site's
index and region page. WCAG 2.1 A and AA plus axe's best practices; no violation may remain.
Every page is Dutch (`lang="nl"`)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
REGELS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
          "resultTypes": ["violations"]}


def _schendingen(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    uit = Axe().run(page, options=REGELS).response["violations"]
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['nodes'][0]['target']} {v['nodes'][0]['html'][:120]}"
            for v in uit]


@pytest.mark.parametrize(("pagina", "klaar"), [
    ("regioportret.ipynb?regio=12", ".rp-kaart"),
    ("aanvraag.ipynb?regio=12", "table.rp-vestigingen"),
    ("regiobouwer.ipynb?regio=12", ".leaflet-draw-draw-rectangle"),
    ("prognose.ipynb?regio=12", "table.rp-backtest"),
])
def test_app_paginas_zonder_schendingen(browser, voila_demo, pagina, klaar):
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(f"{voila_demo.url}/voila/render/{pagina}", timeout=180_000)
    page.wait_for_selector(klaar, state="attached", timeout=180_000)
    page.wait_for_selector("[role=main]", state="attached", timeout=30_000)
    assert page.get_attribute("html", "lang") == "nl"
    assert page.locator("h1").count() == 1  # the notebook's title; the page's own headings start at h2
    assert _schendingen(page) == []
    page.close()


def test_site_zonder_schendingen(browser, demo_ctx, tmp_path):
    from regioportret.views import site

    (tmp_path / "index.html").write_text(site.index(demo_ctx, "kaart.png"), encoding="utf-8")
    (tmp_path / "regio-12.html").write_text(site.regio_pagina(demo_ctx, 12, "regio-12.png")[0], encoding="utf-8")
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    for naam in ("index.html", "regio-12.html"):
        page.goto((tmp_path / naam).as_uri())
        assert page.get_attribute("html", "lang") == "nl"
        assert _schendingen(page) == [], naam
    page.close()
