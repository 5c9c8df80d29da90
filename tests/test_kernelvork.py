"""The app's page kernels are forked from one process that has imported what a page needs
(views.kernelvork): they run as a page kernel, are signalled and stopped as before, show their
command line, end with the server, and start as before where the fork cannot be used."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import psutil
import pytest
from jupyter_client import BlockingKernelClient
from jupyter_client.manager import AsyncKernelManager

from regioportret.views import kernelvork
from regioportret.views.app import PAGINAKERNEL, Paginakernels, is_kernel, opdracht

pytestmark = pytest.mark.skipif(not kernelvork.kan_vorken(), reason="fork with a pidfd: Linux only")

IN_DE_KERNEL = """
import json, os, sys
from ipykernel.ipkernel import _get_comm_manager
print(json.dumps({"pid": os.getpid(), "ppid": os.getppid(), "pgid": os.getpgid(0),
                  "cwd": os.getcwd(), "proef": os.environ.get("RP_PROEF"),
                  "pyarrow": sys.modules.get("pyarrow", "niet geladen") is None,
                  "al_geladen": "regioportret.views.dashboard" in sys.modules,
                  "widgets": sorted(t for t in _get_comm_manager().targets if t.startswith("jupyter.widget"))}))
"""


def _draai(coro):
    """Run a coroutine in its own thread's event loop: in the full suite the browser tests'
    Playwright keeps an event loop running in the main thread."""
    with ThreadPoolExecutor(1) as uitvoerder:
        return uitvoerder.submit(asyncio.run, coro).result()


@pytest.fixture
def voorraad(monkeypatch):
    v = kernelvork.Voorraad()
    monkeypatch.setattr(kernelvork.Voorraad, "_enige", v)
    yield v
    v.stop()


def _voer_uit(km: AsyncKernelManager, code: str) -> dict:
    """Run `code` in the kernel and return what it printed, read as JSON."""
    client = BlockingKernelClient()
    client.load_connection_info(km.get_connection_info())
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        uit: list[str] = []
        antwoord = client.execute_interactive(code, timeout=60, output_hook=lambda m: uit.append(
            m["content"].get("text", "")) if m["msg_type"] == "stream" else None)
        assert antwoord["content"]["status"] == "ok", antwoord["content"]
        return json.loads("".join(uit))
    finally:
        client.stop_channels()


@pytest.fixture
def kernelmanager(tmp_path):
    """Makes kernel managers as the app's (a connection file named as jupyter_server names it);
    afterwards their sockets close at once (a socket to a killed kernel would hold pytest's exit)."""
    gemaakt: list[AsyncKernelManager] = []

    def maak() -> AsyncKernelManager:
        gemaakt.append(AsyncKernelManager(kernel_name="python3", kernel_spec_manager=Paginakernels(),
                                          connection_file=str(tmp_path / f"kernel-{uuid.uuid4()}.json")))
        return gemaakt[-1]

    yield maak
    for km in gemaakt:
        if km.has_kernel:
            _draai(km.shutdown_kernel(now=True))
        km.context.destroy(linger=0)


def test_een_gevorkte_kernel_is_een_paginakernel_en_stopt_als_gevraagd(voorraad, kernelmanager, tmp_path, monkeypatch):
    monkeypatch.setenv("RP_PROEF", "uit de server")  # the server's environment reaches the kernel
    km = kernelmanager()
    assert km.kernel_spec.metadata["kernel_provisioner"]["provisioner_name"] == kernelvork.NAAM

    async def proef():
        await km.start_kernel(cwd=str(tmp_path))
        assert isinstance(km.provisioner, kernelvork.Vorkprovisioner)
        info = await asyncio.to_thread(_voer_uit, km, IN_DE_KERNEL)
        kernel = psutil.Process(info["pid"])
        # forked by the voorraad, in its own process group, with everything imported already
        assert info["ppid"] == voorraad.proces.pid and info["pgid"] == info["pid"] == km.provisioner.pid
        assert info["al_geladen"] and info["pyarrow"]
        assert info["cwd"] == str(tmp_path) and info["proef"] == "uit de server"
        assert info["widgets"] == ["jupyter.widget", "jupyter.widget.control"]  # the page can ask for its widgets
        assert is_kernel(kernel.cmdline()) and opdracht(kernel.cmdline())[1:] == km.format_kernel_cmd()[1:]
        assert opdracht(kernel.cmdline())[:3] == [sys.executable, "-m", PAGINAKERNEL]  # as ps shows it
        assert await km.is_alive()
        await km.interrupt_kernel()  # SIGINT to its group: the kernel lives on
        await asyncio.sleep(0.5)
        assert await km.is_alive()
        await km.shutdown_kernel(now=False)
        assert not await km.is_alive()
        return kernel

    kernel = _draai(proef())
    eind = time.monotonic() + 10
    while kernel.is_running() and time.monotonic() < eind:  # reaped by the voorraad: no zombie left
        time.sleep(0.1)
    assert not kernel.is_running()
    assert voorraad.proces.poll() is None  # the voorraad serves the next one


def test_een_gestopte_kernel_en_het_einde_van_de_server(voorraad, kernelmanager, tmp_path):
    """A kernel killed by the server is gone; when the server goes (its pipe to the voorraad
    closes) the voorraad ends and so do its kernels; nothing is left in /tmp."""
    kms = [kernelmanager() for _ in range(3)]

    async def proef():
        for km in kms[:2]:
            await km.start_kernel(cwd=str(tmp_path))
        kernels = [psutil.Process(km.provisioner.pid) for km in kms[:2]]
        assert all(k.ppid() == voorraad.proces.pid for k in kernels)
        assert psutil.Process(voorraad.proces.pid).num_threads() == 1  # the fork copies one thread
        await kms[0].shutdown_kernel(now=True)  # SIGKILL
        assert not kms[0].has_kernel
        psutil.wait_procs([kernels[0]], timeout=10)
        assert not kernels[0].is_running()
        eerste = voorraad.proces
        eerste.stdin.close()  # as when the server ends
        eerste.wait(20)
        gone, alive = psutil.wait_procs([kernels[1]], timeout=20)  # ipykernel's parent poller: about 1 s
        assert not alive
        await kms[2].start_kernel(cwd=str(tmp_path))  # a voorraad that died starts again for the next kernel
        assert voorraad.proces is not eerste
        assert psutil.Process(kms[2].provisioner.pid).ppid() == voorraad.proces.pid
        for km in kms[1:]:
            await km.shutdown_kernel(now=True)

    _draai(proef())
    map_ = voorraad.map
    voorraad.stop()
    assert not os.path.exists(map_)


def test_de_voorraad_vorkt_alleen_een_paginakernel(voorraad):
    async def vraag(verzoek: bytes) -> dict:
        lezer, schrijver = await voorraad._verbind()
        schrijver.write(verzoek)
        await schrijver.drain()
        regel = await asyncio.wait_for(lezer.readline(), 10)
        schrijver.close()
        return json.loads(regel)

    kinderen = len(psutil.Process(voorraad.proces.pid).children()) if voorraad.proces else 0
    for verzoek in (json.dumps({"argv": ["/bin/sh", "-c", "touch /tmp/x"], "env": {}, "cwd": "/"}).encode() + b"\n",
                    b"geen json\n", json.dumps({"argv": ["python", "-m", PAGINAKERNEL]}).encode() + b"\n"):
        antwoord = _draai(vraag(verzoek))
        assert set(antwoord) == {"fout"}, antwoord
    assert len(psutil.Process(voorraad.proces.pid).children()) == kinderen == 0
    assert oct(os.stat(voorraad.map).st_mode & 0o777) == "0o700"  # only this user can ask
    with socket.socket(socket.AF_UNIX) as s:  # and the socket still answers
        s.connect(voorraad.pad)


def test_zonder_voorraad_start_de_kernel_zoals_vroeger(kernelmanager, tmp_path, monkeypatch):
    """If the voorraad cannot fork (it does not start, or does not answer), the kernel starts as
    a process of its own, and the page works as before."""

    async def faalt(self, *a, **k):
        raise kernelvork.VorkFout("proef")

    monkeypatch.setattr(kernelvork.Voorraad, "vork", faalt)
    km = kernelmanager()

    async def proef():
        await km.start_kernel(cwd=str(tmp_path))
        try:
            info = await asyncio.to_thread(_voer_uit, km, IN_DE_KERNEL)
            assert info["ppid"] == os.getpid() and not info["al_geladen"] and info["pyarrow"]
            assert info["widgets"] == []  # registered when the page imports ipywidgets, as always
        finally:
            await km.shutdown_kernel(now=True)

    _draai(proef())


def test_gevorkt_volgt_een_proces_via_zijn_pidfd():
    import subprocess

    p = subprocess.Popen(["sleep", "30"])
    g = kernelvork.Gevorkt(p.pid)
    assert g.poll() is None and g.wait(0.1) is None
    g.send_signal(signal.SIGTERM)
    p.wait(10)  # the test reaps it, as the voorraad would
    assert g.wait(5) == 0 and g.poll() == 0
    g.kill()  # as Popen: a signal to a process that has ended is dropped


def test_een_server_start_de_voorraad_meteen(monkeypatch):
    """Made by a server (Voilà passes itself as parent), the kernel specs start the voorraad at
    once, so the first page's kernel does not wait for its imports; made on its own (a test, a
    tool that only reads the specs), they start nothing."""
    from traitlets.config import Configurable

    v = kernelvork.Voorraad()
    monkeypatch.setattr(kernelvork.Voorraad, "_enige", v)
    try:
        Paginakernels()
        assert v.proces is None
        Paginakernels(parent=Configurable())
        assert v.proces is not None and v.proces.poll() is None
        eind = time.monotonic() + 60
        while not os.path.exists(v.pad):  # the socket appears once the imports are done
            assert time.monotonic() < eind and v.proces.poll() is None
            time.sleep(0.1)
    finally:
        v.stop()
