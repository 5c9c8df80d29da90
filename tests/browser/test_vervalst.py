"""Forged widget messages over a page's real websocket get no traceback back (issue 23, point 2):
a comm_open to jupyter.widget.control, a dropdown's index set to 9999 or 'abc', data that is not
a dict, no data at all, a message to a comm that does not exist. Whatever the kernel logs about
them goes to the server's log; nothing that comes back holds 'Traceback', a file path or a
source line, and the page keeps working."""

from __future__ import annotations

import contextlib
import json
import re
import time
import uuid

import pytest

pytestmark = pytest.mark.browser
PAGINA = "/voila/render/regioportret.ipynb"
LEK = re.compile(r"Traceback|File \"|\.py\b|site-packages|/work/|line \d+|\^\^\^")


def _bericht(msg_type: str, content: dict) -> str:
    return json.dumps({"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "x",
                                  "session": uuid.uuid4().hex, "date": "", "version": "5.3"},
                       "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": []})


def test_vervalste_widgetberichten_krijgen_geen_traceback(browser, voila_demo):
    from websockets.sync.client import connect

    context = browser.new_context()
    page = context.new_page()
    kanalen = []
    page.on("websocket", lambda ws: kanalen.append(ws.url))
    page.goto(voila_demo.url + PAGINA, timeout=120_000)
    page.wait_for_selector(".rp-kaart", timeout=120_000)
    url = next(u for u in kanalen if "/api/kernels/" in u)
    koek = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
    stapel = contextlib.ExitStack()
    ws = stapel.enter_context(connect(url.split("?")[0] + f"?session_id={uuid.uuid4().hex}",
                                      additional_headers={"Cookie": koek}, open_timeout=20))
    terug: list[str] = []

    def lees(seconden: float) -> list[dict]:
        nieuw = []
        einde = time.monotonic() + seconden
        while time.monotonic() < einde:
            try:
                t = ws.recv(timeout=0.5)
            except TimeoutError:
                continue
            t = t if isinstance(t, str) else t.decode("utf-8", "replace")
            terug.append(t)
            nieuw.append(json.loads(t))
        return nieuw

    # the page's widgets, as any client can list them, and which one is a dropdown
    ws.send(_bericht("comm_info_request", {"target_name": "jupyter.widget"}))
    info = next(m for m in lees(5) if m["msg_type"] == "comm_info_reply")
    for comm_id in info["content"]["comms"]:
        ws.send(_bericht("comm_msg", {"comm_id": comm_id, "data": {"method": "request_state"}}))
    staten = {m["content"]["comm_id"]: m["content"]["data"].get("state", {}) for m in lees(8)
              if m["msg_type"] == "comm_msg" and isinstance(m["content"].get("data"), dict)}
    dropdown = next((c for c, st in staten.items() if st.get("_model_name") == "DropdownModel"), None)
    assert dropdown, sorted({st.get("_model_name") for st in staten.values()})
    terug.clear()
    vervalst = [
        ("comm_open", {"comm_id": uuid.uuid4().hex, "target_name": "jupyter.widget.control", "data": {}}),
        ("comm_msg", {"comm_id": dropdown, "data": {"method": "update", "state": {"index": 9999}, "buffer_paths": []}}),
        ("comm_msg", {"comm_id": dropdown, "data": {"method": "update", "state": {"index": "abc"}, "buffer_paths": []}}),
        ("comm_msg", {"comm_id": dropdown, "data": "geen dict"}),
        ("comm_msg", {"comm_id": dropdown}),
        ("comm_msg", {"comm_id": "bestaat-niet", "data": {"method": "update", "state": {}}}),
    ]
    for soort, inhoud in vervalst:
        ws.send(_bericht(soort, inhoud))
    lees(8)
    stapel.close()
    assert terug, "de kernel antwoordde niets (ook geen status): de verbinding werkte niet"
    lekken = [t[:300] for t in terug if LEK.search(t)]
    assert not lekken, [json.loads(t)["content"] for t in terug if LEK.search(t)][:1]  # the first leak in full
    # the page still works: a tick still updates the figures
    assert page.locator(".rp-kaart").count() > 0 and "Traceback" not in page.inner_text("body")
    context.close()
