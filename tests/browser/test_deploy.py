"""Past one machine (docs/deploy.md): two Voilà processes behind nginx with deploy/nginx.conf.
Each visitor's page, websocket included, works through the proxy, stays on the process that
holds its kernel (the regioportret_proces cookie), and two visitors are spread over both."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from voila_proces import PROJECT, Voila, _vrije_poort, wacht_op_server

pytestmark = pytest.mark.browser


@pytest.fixture
def proxy(tmp_path):
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if nginx is None:
        if os.environ.get("CI"):
            pytest.fail("Geen nginx gevonden, terwijl CI gezet is: .ci/run installeert Debian's nginx")
        pytest.skip("Geen nginx gevonden (apt-get install nginx)")
    a = Voila(None, ("--RegioportretVoila.proces_naam=a",))
    b = Voila(None, ("--RegioportretVoila.proces_naam=b",))
    poort = _vrije_poort()
    (tmp_path / "tmp").mkdir()
    conf = (PROJECT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    for sleutel, waarde in {"@PREFIX@": str(tmp_path), "@POORT@": str(poort), "@POORT_A@": str(a.poort),
                            "@POORT_B@": str(b.poort)}.items():
        conf = conf.replace(sleutel, waarde)
    (tmp_path / "nginx.conf").write_text(conf, encoding="utf-8")
    proc = subprocess.Popen([nginx, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{poort}"
    try:
        wacht_op_server(url, proc, 30, "nginx")
        yield url
    finally:
        proc.terminate()
        proc.wait(10)
        a.stop()
        b.stop()


def test_twee_processen_achter_nginx(browser, proxy):
    gezien = []
    for _ in range(2):
        context = browser.new_context()
        page = context.new_page()
        page.goto(proxy + "/", timeout=120_000)  # / redirects to the dashboard, through the proxy
        page.wait_for_selector(".leaflet-interactive", state="attached", timeout=120_000)
        page.wait_for_selector(".rp-kaart", timeout=120_000)
        page.get_by_text("12 – Friesland", exact=True).click()  # a tick goes over the websocket
        page.wait_for_function("() => [...document.querySelectorAll('h2')].some(h => h.innerText.includes('Regio 12'))",
                               timeout=60_000)
        gezien.append({c["name"]: c["value"] for c in context.cookies()}.get("regioportret_proces"))
        page.close(run_before_unload=True)
        context.close()
    assert sorted(gezien) == ["a", "b"]  # the first visits were spread over both processes
