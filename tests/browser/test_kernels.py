"""Kernels follow their tabs: a closed tab gives its kernel back at once, a request that never
opens the page's connection within about a minute, and beyond the configured number of kernels
a visitor reads a Dutch 'het is druk' page instead of claiming one."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

from regioportret.views.app import PAGINAKERNEL
from voila_proces import Voila

pytestmark = pytest.mark.browser
PAGINA = "/voila/render/regioportret.ipynb"
POOL = 2  # the dashboard's and the form's preheated kernel


def test_gesloten_en_verlaten_paginas_geven_hun_kernel_terug(browser):
    v = Voila(None)
    try:
        v.wacht_op_kernels(POOL, 120)
        context = browser.new_context()
        page = context.new_page()
        page.goto(v.url + PAGINA, timeout=120_000)
        page.wait_for_selector(".rp-kaart", timeout=120_000)
        assert "_xsrf" in {c["name"] for c in context.cookies()}  # the unload beacon needs it
        v.wacht_op_kernels(POOL + 1, 60)  # the page's kernel, and the pool filled again
        for k in v.kernel_processen():  # served by the page kernel: no pyarrow, no debugger loaded
            assert PAGINAKERNEL in k.cmdline()
            geladen = {Path(m.path).name for m in k.memory_maps()}
            assert not any(n.startswith(("libarrow", "libparquet")) for n in geladen), sorted(geladen)
        page.close(run_before_unload=True)
        assert v.wacht_op_kernels(POOL, 20) < 20  # released when the tab closed, not at the cull
        context.close()
        # a request that never opens the page's connection (a bot, a curl): culled within a minute
        urllib.request.urlopen(v.url + PAGINA, timeout=120).read()
        v.wacht_op_kernels(POOL + 1, 60)
        assert v.wacht_op_kernels(POOL, 110) < 110
    finally:
        v.stop()


def test_boven_het_maximum_een_nederlandse_drukte_pagina():
    # the first visitor's kernel must outlive the wait for the refilled pool: under load that wait
    # can pass the 60 s idle cull, and a culled kernel would let the next visitor in
    v = Voila(None, ("--RegioportretVoila.max_kernels=3", "--MappingKernelManager.cull_idle_timeout=600"))
    try:
        v.wacht_op_kernels(POOL, 120)
        assert urllib.request.urlopen(v.url + PAGINA, timeout=120).status == 200
        v.wacht_op_kernels(3, 60)  # that visitor's kernel and the refilled pool
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(v.url + PAGINA, timeout=60)
        assert e.value.code == 503 and e.value.headers["Retry-After"] == "30"
        assert "Het is druk" in e.value.read().decode()
        assert v.kernels() == 3  # the refused visitor claimed no kernel
    finally:
        v.stop()
