"""Re-execute every notebook with papermill, so a reviewer reproduces each figure with one command."""

from __future__ import annotations

import os
from pathlib import Path

from ..store import pakketmap


def reproduceer(out: Path, data: str | None = None) -> list[Path]:
    import papermill as pm

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    data = data or os.environ.get("REGIOPORTRET_DATA") or None
    gemaakt = []
    for nb in sorted(pakketmap("notebooks").glob("*.ipynb")):
        doel = out / nb.name
        print(f"papermill {nb.name} -> {doel}")
        pm.execute_notebook(str(nb), str(doel), parameters={"data": data}, cwd=str(nb.parent), progress_bar=True)
        gemaakt.append(doel)
    return gemaakt
