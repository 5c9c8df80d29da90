"""Browser tests: Voilà serving the notebooks, driven by Playwright in Debian's chromium."""

from __future__ import annotations

import os

import pytest

from voila_proces import FLAGS, Voila, chromium_pad


@pytest.fixture(scope="session")
def browser():
    pad = chromium_pad()
    if pad is None:
        if os.environ.get("CI"):
            pytest.fail("Geen chromium gevonden, terwijl CI gezet is: .ci/run installeert Debian's chromium")
        pytest.skip("Geen chromium gevonden (apt-get install chromium); browsertests overgeslagen")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=pad, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def voila_demo():
    v = Voila(None)
    yield v
    v.stop()
