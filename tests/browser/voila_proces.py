"""Voilà as a subprocess on a free port, and where Debian's chromium is."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium_pad() -> str | None:
    for naam in ("chromium", "chromium-browser"):
        pad = shutil.which(naam)
        if pad:
            return pad
    return None


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wacht_op_server(url: str, proc: subprocess.Popen, binnen_s: float, naam: str) -> None:
    """Wait until the server at `url` answers HTTP (any status: Voilà's shutdown API answers a GET
    with an error), or fail with why: `proc` stopped, or `binnen_s` passed."""
    eind = time.time() + binnen_s
    while True:
        try:
            urllib.request.urlopen(url + "/voila/api/shutdown", timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if proc.poll() is not None:
                fout = proc.stderr.read().decode()[-500:] if proc.stderr else ""
                raise RuntimeError(f"{naam} stopte bij het starten {fout}".rstrip()) from None
            if time.time() > eind:
                raise RuntimeError(f"{naam} startte niet binnen {binnen_s:.0f} s") from None
            time.sleep(0.3)


class Voila:
    def __init__(self, data: str | None, opties: tuple[str, ...] = (), poort: int | None = None):
        self.poort = poort or _vrije_poort()  # a fixed port: the same server address after a restart
        env = dict(os.environ)
        env.pop("REGIOPORTRET_DATA", None)
        if data:
            env["REGIOPORTRET_DATA"] = data
        self.log = open(PROJECT / "build" / f"voila-{self.poort}.log", "a") if (PROJECT / "build").is_dir() else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "regioportret.views.app", str(PROJECT / "notebooks"), f"--port={self.poort}",
             *opties],
            cwd=PROJECT / "notebooks", env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.poort}"
        wacht_op_server(self.url, self.proc, 90, "Voilà")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def kernel_processen(self) -> list:
        """The kernels this server runs now (psutil processes of its kernel children)."""
        import psutil

        from regioportret.views.app import is_kernel

        uit = []
        for c in psutil.Process(self.proc.pid).children(recursive=True):
            try:  # a kernel that has just shut down is a zombie for a moment: not running
                if c.status() != psutil.STATUS_ZOMBIE and is_kernel(c.cmdline()):
                    uit.append(c)
            except psutil.Error:
                continue
        return uit

    def kernels(self) -> int:
        return len(self.kernel_processen())

    def wacht_op_kernels(self, aantal: int, binnen_s: float) -> float:
        """Seconds until exactly `aantal` kernels run (fails after `binnen_s`)."""
        begin = time.time()
        while time.time() - begin < binnen_s:
            if self.kernels() == aantal:
                return time.time() - begin
            time.sleep(1)
        raise AssertionError(f"na {binnen_s} s draaien er {self.kernels()} kernels, niet {aantal}")


class Relais:
    """A TCP relay in front of a server (threads). `stil()` makes it a lost connection: nothing
    passes any more and no socket is closed, so the server sees neither data nor a close."""

    def __init__(self, doel_poort: int):
        import threading

        self.doel_poort, self.is_stil, self.open = doel_poort, False, []
        self.luister = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.luister.getsockname()[1]}"
        threading.Thread(target=self._aannemen, daemon=True).start()

    def _aannemen(self):
        import threading

        while True:
            try:
                klant, _ = self.luister.accept()
                doel = socket.create_connection(("127.0.0.1", self.doel_poort), timeout=10)
                doel.settimeout(None)
            except OSError:
                return
            self.open += [klant, doel]
            for van, naar in ((klant, doel), (doel, klant)):
                threading.Thread(target=self._pomp, args=(van, naar), daemon=True).start()

    def _pomp(self, van, naar):
        try:
            while blok := van.recv(65536):
                if self.is_stil:
                    return  # silent: stop relaying, keep both sockets open
                naar.sendall(blok)
        except OSError:
            return
        if not self.is_stil:
            try:
                naar.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def stil(self):
        self.is_stil = True

    def sluit(self):
        for s in [self.luister, *self.open]:
            s.close()
