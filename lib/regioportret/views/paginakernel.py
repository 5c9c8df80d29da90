"""The kernel of a page the app serves: ipykernel without pyarrow and without the debugger.

A served page is read-only and many are open at once, so each kernel's memory is the app's
cost per visitor (issue 12). Two imports every kernel would otherwise pay for, and a page never
uses:
- pyarrow (about 33 MB): pandas 3 imports it whenever it is installed. A page reads its tables
  from the store's cache, whose pickles are written without it (store.bewaard); a read from
  the processed parquet files runs in a subprocess that has it (store.Dataset.lees);
- debugpy (the kernel's debugger): nobody debugs a dashboard.
A module set to None in sys.modules cannot be imported: pandas then keeps its strings in
Python objects, and ipykernel starts without a debugger.

The app's kernel spec manager (views.app.Paginakernels) starts this module in place of
ipykernel_launcher; JupyterLab, papermill and nbval keep the ordinary kernel.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ZONDER = ("pyarrow", "debugpy")
MODULE = "regioportret.views.paginakernel"  # this module by its name (run as a script it is __main__)


def zonder_zware_imports() -> None:
    for naam in ZONDER:
        sys.modules[naam] = None  # type: ignore[assignment] - the documented way to block an import


def zonder_werkmap_op_het_pad() -> None:
    """As ipykernel_launcher: not the working folder on sys.path while the kernel loads."""
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]


def logboek_naar_de_server() -> None:
    """Every log record and warning of a page's kernel goes to the server's log (the process's
    own stderr), never to the page: inside the kernel sys.stderr is sent to the browser, and a
    forged widget message makes the comm layer log a traceback with paths and source lines."""
    import logging

    logging.basicConfig(handlers=[logging.StreamHandler(sys.__stderr__)], level=logging.WARNING, force=True)
    logging.captureWarnings(True)


def main() -> None:
    zonder_werkmap_op_het_pad()
    zonder_zware_imports()
    logboek_naar_de_server()
    from ipykernel import kernelapp

    # ipykernel forwards everything written to file descriptor 2 to the page: not in a page
    # kernel, whose errors belong in the server's log; and widgets' tracebacks go there too.
    # The parent's pid, read here and not when ipykernel was imported (a forked kernel,
    # views.kernelvork, imported it before its environment was set).
    kernelapp.IPKernelApp.launch_instance(capture_fd_output=False,
                                          parent_handle=int(os.environ.get("JPY_PARENT_PID") or 0),
                                          exec_lines=[f"import {MODULE} as _p; _p.bij_de_start()"])


def bij_de_start() -> None:
    """Run in a page kernel once its shell exists (the kernel's exec_lines)."""
    tracebacks_naar_de_server()
    widgets_aanmelden()


def widgets_aanmelden() -> None:
    """ipywidgets registers its comm targets when it is imported in a running kernel. A kernel
    forked from views.kernelvork had it imported before the kernel existed, so it registers
    here; without it the page could not ask the kernel for its widgets' state."""
    widgets = sys.modules.get("ipywidgets")
    if widgets is not None:
        widgets.register_comm_target()


def tracebacks_naar_de_server() -> None:
    """Run in a page kernel at its start. ipywidgets answers an error in a widget message (a
    forged one: an index of 9999, a state that is not a dict) with the kernel's traceback, which
    ipykernel publishes to every client of the kernel: paths and source lines. Here it is written
    to the server's log instead and the client gets nothing."""
    import logging
    import re

    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return
    log = logging.getLogger("regioportret")

    def naar_het_logboek(etype, evalue, stb):
        shell._last_traceback = stb
        tekst = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(stb or []))
        log.error("fout in de kernel van een pagina (%s: %s)\n%s", getattr(etype, "__name__", etype), evalue, tekst)

    shell._showtraceback = naar_het_logboek


if __name__ == "__main__":
    main()
