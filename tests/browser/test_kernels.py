"""Kernels follow their tabs: a closed tab gives its kernel back at once, a request that never
opens the page's connection within about a minute, and beyond the configured number of kernels
a visitor reads a Dutch 'het is druk' page instead of claiming one, also when many arrive at
once. A kernel belongs to the page that got it: its channel, API and shutdown answer only that
visitor's cookie."""

from __future__ import annotations

import http.cookiejar
import json
import re
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from regioportret.views.app import PAGINAKERNEL, opdracht
from voila_proces import Relais, Voila

pytestmark = pytest.mark.browser
PAGINA = "/voila/render/regioportret.ipynb"
POOL = 2  # the dashboard's and the form's preheated kernel


def _pagina_met_kernel(browser, v: Voila, url: str):
    """A tab on `url` with the dashboard drawn, once the pool is full and its kernel runs."""
    v.wacht_op_kernels(POOL, 120)
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + PAGINA, timeout=120_000)
    page.wait_for_selector(".rp-kaart", timeout=120_000)
    return context, page


def test_gesloten_en_verlaten_paginas_geven_hun_kernel_terug(browser):
    v = Voila(None)
    try:
        context, page = _pagina_met_kernel(browser, v, v.url)
        assert "_xsrf" in {c["name"] for c in context.cookies()}  # the unload beacon needs it
        v.wacht_op_kernels(POOL + 1, 60)  # the page's kernel, and the pool filled again
        for k in v.kernel_processen():  # served by the page kernel: no pyarrow, no debugger loaded
            assert PAGINAKERNEL in opdracht(k.cmdline())
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


def test_verloren_verbinding_geeft_de_kernel_binnen_een_minuut_terug(browser):
    """A tab whose connection is lost without a word (no unload, no close: the relay goes
    silent) gives its kernel back within 60 s: the websocket's pings notice the silence, and a
    kernel without its page ends soon after (views.app.ZONDER_PAGINA_S)."""
    v = Voila(None)
    relais = Relais(v.poort)
    try:
        context, page = _pagina_met_kernel(browser, v, relais.url)
        v.wacht_op_kernels(POOL + 1, 60)
        time.sleep(12)  # connected for a while: a page that reads is left alone
        assert len(v.kernel_processen()) == POOL + 1
        relais.stil()
        page.close()  # the tab goes; the server still holds an open, silent connection
        t0 = time.monotonic()
        assert v.wacht_op_kernels(POOL, 90) < 60, "de kernel van de verloren pagina leeft nog na 60 s"
        assert time.monotonic() - t0 < 60
        context.close()
    finally:
        relais.sluit()
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


def test_maximum_houdt_bij_parallelle_verzoeken():
    """30 visitors at once with room for 2 more kernels: exactly 2 get the page, the others the
    Dutch 'het is druk' page, and at no moment do more kernels run than the limit."""
    v = Voila(None, ("--RegioportretVoila.max_kernels=4", "--MappingKernelManager.cull_idle_timeout=600"))
    hoogste, klaar = [0], threading.Event()

    def tel():
        while not klaar.is_set():
            hoogste[0] = max(hoogste[0], v.kernels())
            time.sleep(0.1)

    def bezoek(_):
        try:
            return urllib.request.urlopen(v.url + PAGINA, timeout=180).status
        except urllib.error.HTTPError as e:
            return e.code

    try:
        v.wacht_op_kernels(POOL, 120)
        teller = threading.Thread(target=tel, daemon=True)
        teller.start()
        with ThreadPoolExecutor(30) as pool:
            antwoorden = list(pool.map(bezoek, range(30)))
        time.sleep(5)  # the refills of the pool the two visitors took
        klaar.set()
        teller.join(5)
        assert sorted(set(antwoorden)) == [200, 503] and antwoorden.count(200) == 2, antwoorden
        assert hoogste[0] <= 4 and v.kernels() <= 4, (hoogste[0], v.kernels())
    finally:
        klaar.set()
        v.stop()


def _bezoeker(url: str):
    """A visitor without a browser: the page once, its cookies and its kernel's id."""
    koekjes = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(koekjes))
    html = opener.open(url + PAGINA, timeout=120).read().decode()
    config = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S)
    return opener, {c.name: c.value for c in koekjes}, json.loads(config.group(1))["kernelId"]


def _status(opener, url: str, data: bytes | None = None, headers: dict | None = None) -> int:
    try:
        return opener.open(urllib.request.Request(url, data=data, headers=headers or {}), timeout=30).status
    except urllib.error.HTTPError as e:
        return e.code


def test_een_kernel_is_van_de_pagina_die_hem_kreeg():
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    v = Voila(None, ("--MappingKernelManager.cull_idle_timeout=600",))
    try:
        v.wacht_op_kernels(POOL, 120)
        a, a_koek, kernel = _bezoeker(v.url)
        b, b_koek, _ = _bezoeker(v.url)
        assert "regioportret_bezoeker" in a_koek and a_koek["regioportret_bezoeker"] != b_koek["regioportret_bezoeker"]
        verbinding = f"{v.url}/regioportret/verbinding/{kernel}"
        assert _status(a, verbinding) == 204 and _status(b, verbinding) == 404
        assert _status(b, f"{v.url}/api/kernels/{kernel}") == 403
        # another visitor's own _xsrf does not shut this kernel down
        stop = f"{v.url}/voila/api/shutdown/{kernel}"
        assert _status(b, stop, b"", {"X-XSRFToken": b_koek["_xsrf"]}) == 403
        assert _status(a, verbinding) == 204
        kanaal = f"ws://127.0.0.1:{v.poort}/api/kernels/{kernel}/channels?session_id={uuid.uuid4().hex}"
        for koek in ({}, b_koek):  # no cookie, another visitor's cookies: no channel
            with pytest.raises(InvalidStatus) as e:
                connect(kanaal, additional_headers={"Cookie": "; ".join(f"{k}={w}" for k, w in koek.items())},
                        open_timeout=20)
            assert e.value.response.status_code == 403
        with connect(kanaal, additional_headers={"Cookie": "; ".join(f"{k}={w}" for k, w in a_koek.items())},
                     open_timeout=20):
            pass  # the page's own cookie opens it
        assert _status(a, stop, b"", {"X-XSRFToken": a_koek["_xsrf"]}) == 204
        assert _status(a, verbinding) == 404  # gone: the page would now say so
    finally:
        v.stop()
