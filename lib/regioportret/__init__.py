"""Regioportretten: data portraits of technical vmbo education per STO region.

Layers: `sources` (raw files -> tidy tables) -> `store` (processed dataset, caches) ->
`context` (one per dataset: every precomputed basis) -> `model` (regions, portraits, forecasts,
rules; the bundle of one selection) -> `views` (dashboard, PDF, site, form) and the CLI.

    ctx = regioportret.open_context(data)      # once per dataset
    s = ctx.selectie(regios=[12])              # every figure of region 12, computed once
"""

__version__ = "0.1.0"

from .context import Context, open_context  # noqa: E402
from .store import Dataset, laad  # noqa: E402

__all__ = ["Context", "Dataset", "laad", "open_context", "__version__"]
