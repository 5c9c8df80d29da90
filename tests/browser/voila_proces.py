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
        eind = time.time() + 90
        while time.time() < eind:
            try:
                urllib.request.urlopen(self.url + "/voila/api/shutdown", timeout=1)
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.3)
            if self.proc.poll() is not None:
                raise RuntimeError("Voilà stopte bij het starten")
        raise RuntimeError("Voilà startte niet binnen 90 s")

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

