"""Page kernels forked from one process that has already imported what a page needs (issue 27).

Every page kernel used to import ipykernel, pandas, the widgets and this package anew: about
0.8 s of CPU per visitor, most of what a visit costs the server. The app now starts one
*voorraad* process per server: it imports those modules once (pyarrow and debugpy blocked, as
in views.paginakernel) and, for each kernel the server starts, forks a child that runs the page
kernel with the server's command line, environment and working folder. The child has every
import done and shares the imported pages with the voorraad until it writes to them.

- The server asks over a Unix socket in a folder only its user can open (`Voorraad.vork`) and
  manages the child by its pid through a pidfd (`Gevorkt`), so a reused pid is never signalled.
- The child starts its own session (a process group the server can signal, as Popen's
  start_new_session), reads /dev/null as stdin, writes to the server's stdout and stderr, and
  shows the kernel's command line as its process title (`ps`, and the tests count kernels by it).
- The voorraad reaps its children (their CPU time counts in its own), ends when the server's
  pipe to it closes, and a kernel whose voorraad is gone ends (ipykernel's parent poller).
- Where fork cannot be used (not Linux, no pidfd) or the voorraad does not answer, the kernel
  starts as before (`Vorkprovisioner` falls back to jupyter_client's LocalProvisioner).

Run by the server as: python -m regioportret.views.kernelvork SOCKET
"""

from __future__ import annotations

import asyncio
import atexit
import gc
import importlib
import json
import os
import select
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile

import setproctitle
from jupyter_client.provisioning import LocalProvisioner

from . import paginakernel

NAAM = "regioportret-vork"  # the provisioner's entry point (pyproject.toml)
MODULE = "regioportret.views.kernelvork"
# What a page kernel imports: ipykernel, and the app pages' modules (with pandas, the widgets).
VOORAF = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell",
          "regioportret.views.dashboard", "regioportret.views.aanvraag")
KLAAR_S = 60.0  # the voorraad imports within this (about 1 s; longer on a busy machine)
ANTWOORD_S = 10.0


def kan_vorken() -> bool:
    """Fork with a pidfd: Linux 5.3 and Python 3.9 or newer."""
    return sys.platform == "linux" and hasattr(os, "pidfd_open") and hasattr(signal, "pidfd_send_signal")


def is_paginakernel(argv: list[str]) -> bool:
    """Only the page kernel's own command line is forked: [python, -m, paginakernel, ...]."""
    return len(argv) >= 3 and argv[1:3] == ["-m", paginakernel.MODULE]


# --- the voorraad process -------------------------------------------------------------------


def voorraad(pad: str) -> None:
    """Import once, then fork a page kernel for every request on the socket at `pad`."""
    paginakernel.zonder_werkmap_op_het_pad()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C on the server: the server ends it
    # One thread, so that the fork copies a consistent process: numpy's OpenBLAS would start a
    # pool of threads (a page kernel does no linear algebra worth a second thread).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    paginakernel.zonder_zware_imports()
    for module in VOORAF:
        importlib.import_module(module)
    gc.collect()
    gc.freeze()  # the imported objects stay out of the children's collections: fewer pages copied

    lees, schrijf = os.pipe()  # SIGCHLD wakes the loop, which reaps the children
    os.set_blocking(schrijf, False)
    signal.set_wakeup_fd(schrijf)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    luister = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    luister.bind(pad + ".nieuw")
    os.rename(pad + ".nieuw", pad)  # the socket appears only once it is ready
    luister.listen(64)
    sel = selectors.DefaultSelector()
    sel.register(luister, selectors.EVENT_READ, "verzoek")
    sel.register(lees, selectors.EVENT_READ, "kind")
    sel.register(sys.stdin, selectors.EVENT_READ, "server")
    while True:
        for sleutel, _ in sel.select():
            if sleutel.data == "kind":
                os.read(lees, 4096)
                _raap_op()
            elif sleutel.data == "server":
                if not os.read(sys.stdin.fileno(), 4096):  # the server is gone
                    luister.close()
                    os.unlink(pad)
                    return
            else:
                verbinding, _ = luister.accept()
                kind = _behandel(verbinding)
                if kind is not None:  # in the forked child: run the kernel, never the loop
                    sel.close()
                    luister.close()
                    os.close(lees)
                    os.close(schrijf)
                    _als_kernel(*kind)


def _raap_op() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _behandel(verbinding: socket.socket):
    """Read one request and fork. In the parent: answer the child's pid (or the error) and return
    None; in the child: return what it runs."""
    with verbinding:
        try:
            verbinding.settimeout(ANTWOORD_S)
            regel = verbinding.makefile("rb").readline(1 << 20)
            verzoek = json.loads(regel)
            argv, env, cwd = list(verzoek["argv"]), dict(verzoek["env"]), str(verzoek["cwd"])
            if not is_paginakernel(argv):
                raise ValueError(f"geen paginakernel: {argv[:3]}")
        except (OSError, ValueError, KeyError, TypeError) as e:
            _antwoord(verbinding, {"fout": str(e)})
            return None
        pid = os.fork()
        if pid == 0:
            return argv, env, cwd
        _antwoord(verbinding, {"pid": pid})
        return None


def _antwoord(verbinding: socket.socket, inhoud: dict) -> None:
    try:
        verbinding.sendall(json.dumps(inhoud).encode() + b"\n")
    except OSError:
        pass  # the server gave up waiting; a forked child then finds no client and is culled


def _als_kernel(argv: list[str], env: dict[str, str], cwd: str) -> None:
    """In the forked child: become the page kernel `argv` would have started, and exit with it."""
    status = 1
    try:
        os.setsid()
        for s in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM):
            signal.signal(s, signal.SIG_DFL)
        signal.set_wakeup_fd(-1)
        leeg = os.open(os.devnull, os.O_RDONLY)
        os.dup2(leeg, 0)
        os.close(leeg)
        setproctitle.setproctitle(" ".join(argv))  # before the environment changes: it moves it
        os.chdir(cwd)
        env["JPY_PARENT_PID"] = str(os.getppid())  # ends when the voorraad is gone
        os.environ.clear()
        os.environ.update(env)
        sys.argv = [paginakernel.__file__, *argv[3:]]
        paginakernel.main()
        status = 0
    except SystemExit as e:
        status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:  # noqa: BLE001 - the child must never return into the voorraad's loop
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


# --- the server's side ----------------------------------------------------------------------


class VorkFout(RuntimeError):
    """The voorraad did not fork a kernel (the provisioner then starts one as before)."""


class Voorraad:
    """The server's handle on its voorraad process: started with the server (views.app.Paginakernels)
    or at the first request, and again at a request if it died."""

    _enige: Voorraad | None = None

    def __init__(self) -> None:
        self.map = tempfile.mkdtemp(prefix="regioportret-vork-")  # 0700: only this user connects
        self.pad = os.path.join(self.map, "s")
        self.proces: subprocess.Popen | None = None

    @classmethod
    def van_de_server(cls) -> Voorraad:
        if cls._enige is None:
            cls._enige = cls()
            atexit.register(cls._enige.stop)
        return cls._enige

    def start(self) -> None:
        """Start the voorraad if it is not running (it then imports while the server goes on)."""
        if self.proces is not None and self.proces.poll() is None:
            return
        os.makedirs(self.map, mode=0o700, exist_ok=True)
        if os.path.exists(self.pad):
            os.unlink(self.pad)
        self.proces = subprocess.Popen([sys.executable, "-m", MODULE, self.pad], stdin=subprocess.PIPE)

    async def _verbind(self):
        self.start()
        eind = asyncio.get_running_loop().time() + KLAAR_S
        while True:
            try:
                return await asyncio.open_unix_connection(self.pad)
            except (FileNotFoundError, ConnectionRefusedError):
                if self.proces.poll() is not None:
                    raise VorkFout(f"de voorraad stopte met status {self.proces.returncode}") from None
                if asyncio.get_running_loop().time() > eind:
                    raise VorkFout(f"de voorraad was na {KLAAR_S:.0f} s niet klaar") from None
                await asyncio.sleep(0.05)

    async def vork(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        """The pid of a new page kernel, forked with this command line, environment and folder."""
        lezer, schrijver = await self._verbind()
        try:
            schrijver.write(json.dumps({"argv": argv, "env": env, "cwd": cwd}).encode() + b"\n")
            await schrijver.drain()
            regel = await asyncio.wait_for(lezer.readline(), ANTWOORD_S)
        except (TimeoutError, OSError) as e:
            raise VorkFout(f"geen antwoord van de voorraad: {e!r}") from e
        finally:
            schrijver.close()
        try:
            antwoord = json.loads(regel)
            return int(antwoord["pid"])
        except (ValueError, KeyError, TypeError):
            raise VorkFout(f"de voorraad vorkte niet: {regel[:200]!r}") from None

    def stop(self) -> None:
        if self.proces is not None and self.proces.poll() is None:
            self.proces.stdin.close()  # it ends when its pipe closes
            try:
                self.proces.wait(10)
            except subprocess.TimeoutExpired:
                self.proces.kill()
        shutil.rmtree(self.map, ignore_errors=True)


class Gevorkt:
    """A forked kernel as jupyter_client's LocalProvisioner uses a Popen: by a pidfd, since the
    server is not its parent (no waitpid, and a pid alone could be reused)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        try:
            self._fd: int | None = os.pidfd_open(pid)
        except ProcessLookupError:
            self._fd = None  # already gone
        self.returncode: int | None = None if self._fd is not None else 0

    def poll(self) -> int | None:
        return self.wait(0)

    def wait(self, timeout: float | None = None) -> int | None:
        if self.returncode is None and select.select([self._fd], [], [], timeout)[0]:
            self._klaar()
        return self.returncode

    def _klaar(self) -> None:
        self.returncode = 0  # ended (the voorraad, its parent, has its status and reaps it)
        os.close(self._fd)
        self._fd = None

    def send_signal(self, signum: int) -> None:
        """As Popen's: a signal to a process that has ended is dropped."""
        if self.poll() is None:
            try:
                signal.pidfd_send_signal(self._fd, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class Vorkprovisioner(LocalProvisioner):
    """jupyter_client's local provisioner, with the page kernel forked by the server's voorraad."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        if not (kan_vorken() and is_paginakernel(cmd)):
            return await super().launch_kernel(cmd, **kwargs)
        env = {k: str(v) for k, v in (kwargs.get("env") or os.environ).items()}
        cwd = str(kwargs.get("cwd") or os.getcwd())
        try:
            pid = await Voorraad.van_de_server().vork(cmd, env, cwd)
        except (VorkFout, OSError) as e:
            self.log.warning("kernel gestart zonder de voorraad: %s", e)
            return await super().launch_kernel(cmd, **kwargs)
        self.process = Gevorkt(pid)
        self.pid = self.pgid = pid  # the child starts its own session: its group is its pid
        self.cwd = cwd
        return self.connection_info


if __name__ == "__main__":
    voorraad(sys.argv[1])
