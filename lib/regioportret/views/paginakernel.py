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

import sys
from pathlib import Path

ZONDER = ("pyarrow", "debugpy")


def zonder_zware_imports() -> None:
    for naam in ZONDER:
        sys.modules[naam] = None  # type: ignore[assignment] - the documented way to block an import


def main() -> None:
    # As ipykernel_launcher: not the working folder on sys.path while the kernel loads.
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    zonder_zware_imports()
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
