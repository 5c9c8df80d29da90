"""Re-execute every notebook with papermill, so a reviewer reproduces each figure with one command."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..store import pakketmap, schrijven_naar, vrije_uitvoermap, wissel_in

CEL_TIMEOUT_S = 600  # one cell; the slowest (a cold forecast cache on the real data) takes seconds
START_TIMEOUT_S = 120


def reproduceer(out: Path, data: str | None = None) -> list[Path]:
    """Executed copies of every notebook in `out`: written to a folder next to it and swapped in
    whole, never over the notebooks themselves, the data or anything else already in `out`."""
    import papermill as pm

    data = data or os.environ.get("REGIOPORTRET_DATA") or None
    bron = pakketmap("notebooks")
    out = vrije_uitvoermap(out, "reproduce", invoer=[bron, data])
    tmp = out.parent / f".{out.name}.reproduce-{os.getpid()}"
    namen = []
    try:
        with schrijven_naar(out):
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
        for nb in sorted(bron.glob("*.ipynb")):
            print(f"papermill {nb.name} -> {out / nb.name}")
            # A kernel that dies or a cell that hangs ends the run instead of blocking it.
            pm.execute_notebook(str(nb), str(tmp / nb.name), parameters={"data": data}, cwd=str(nb.parent),
                                progress_bar=True, execution_timeout=CEL_TIMEOUT_S, start_timeout=START_TIMEOUT_S)
            namen.append(nb.name)
        with schrijven_naar(out):
            wissel_in(tmp, out, "reproduce")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [out / n for n in namen]
