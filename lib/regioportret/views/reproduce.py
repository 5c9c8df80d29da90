"""Re-execute every notebook with papermill, so a reviewer reproduces each figure with one command."""

from __future__ import annotations

import os
from pathlib import Path

from ..store import pakketmap

CEL_TIMEOUT_S = 600  # one cell; the slowest (a cold forecast cache on the real data) takes seconds
START_TIMEOUT_S = 120


def reproduceer(out: Path, data: str | None = None) -> list[Path]:
    import papermill as pm

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    data = data or os.environ.get("REGIOPORTRET_DATA") or None
    gemaakt = []
    for nb in sorted(pakketmap("notebooks").glob("*.ipynb")):
        doel = out / nb.name
        print(f"papermill {nb.name} -> {doel}")
        # A kernel that dies or a cell that hangs ends the run instead of blocking it.
        pm.execute_notebook(str(nb), str(doel), parameters={"data": data}, cwd=str(nb.parent), progress_bar=True,
                            execution_timeout=CEL_TIMEOUT_S, start_timeout=START_TIMEOUT_S)
        gemaakt.append(doel)
    return gemaakt
