"""The page's address under Voilà: read from the kernel's environment, and in a preheated kernel
received once from Voilà's query socket, without loading the Jupyter server into the kernel."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading

import pytest


def test_zonder_voorverwarmen_uit_de_omgeving_en_zonder_voila_te_laden():
    code = ("import os, sys; os.environ['QUERY_STRING'] = 'regio=12%2C14'; os.environ['VOILA_PREHEAT'] = 'False'\n"
            "from regioportret.views.notebook import query_parameters\n"
            "print(query_parameters()['regio'], 'voila' in sys.modules, 'jupyter_server' in sys.modules)")
    uit = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert uit.stdout.split() == ["12,14", "False", "False"]


def test_voorverwarmde_kernel_wacht_een_keer_op_het_verzoek(monkeypatch):
    pytest.importorskip("websockets")
    from websockets.asyncio.server import serve

    from regioportret.views import notebook

    ontvangen = []
    klaar = threading.Event()
    gestopt = None

    async def handler(ws):
        ontvangen.append(ws.request.path)
        await ws.send(json.dumps({"QUERY_STRING": "regio=7", "SERVER_NAME": "test"}))

    async def server():
        nonlocal gestopt
        gestopt = asyncio.get_running_loop().create_future()
        async with serve(handler, "127.0.0.1", 0) as s:
            poort.append(s.sockets[0].getsockname()[1])
            klaar.set()
            await gestopt

    poort: list[int] = []
    lus = asyncio.new_event_loop()
    draad = threading.Thread(target=lus.run_until_complete, args=(server(),), daemon=True)
    draad.start()
    assert klaar.wait(10)
    for k, v in {"VOILA_PREHEAT": "True", "VOILA_APP_PORT": str(poort[0]), "VOILA_KERNEL_ID": "abc",
                 "VOILA_SERVER_URL": "/"}.items():
        monkeypatch.setenv(k, v)
    # set (not deleted) first, so that monkeypatch puts back what was there before: the wait below
    # writes the request's variables into os.environ, and they must not leak into later tests
    monkeypatch.setenv("QUERY_STRING", "nog-niet")
    monkeypatch.setenv("SERVER_NAME", "")
    monkeypatch.setattr(notebook, "_VERZOEK_ONTVANGEN", False)
    try:
        assert notebook.query_string() == "regio=7"
        assert notebook.query_string() == "regio=7"  # the second read does not wait again
        assert ontvangen == ["/voila/query/abc"]
    finally:
        lus.call_soon_threadsafe(gestopt.set_result, None)
        draad.join(10)


ZWAAR = ("geopandas", "shapely", "matplotlib", "weasyprint", "voila", "jupyter_server", "jsonschema")


def test_dashboard_laadt_geen_zware_bibliotheken(demo_ctx):
    """A page's kernel (caches warm, as after the first visitor) builds the dashboard without
    geopandas, shapely, matplotlib, weasyprint or the Jupyter server: they cost memory and seconds
    per visitor, and only a PDF or the builder needs the first four."""
    from hulp import DEMO
    from regioportret.views.dashboard import Dashboard

    Dashboard(demo_ctx)  # warms the store's caches this session uses
    code = (f"import sys\nfrom regioportret.views.dashboard import toon_dashboard\n"
            f"toon_dashboard(data={str(DEMO)!r})\n"
            f"print(' '.join(m for m in {ZWAAR!r} if m in sys.modules) or 'geen')")
    uit = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    assert uit.stdout.strip().splitlines()[-1] == "geen", uit.stdout[-500:]
