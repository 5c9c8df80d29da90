"""Regioportretten: data portraits of technical vmbo education per STO region.

Layers: `sources` (raw files -> tidy tables) -> `store` (processed dataset, caches) ->
`context` (one per dataset: every precomputed basis) -> `model` (regions, portraits, forecasts,
rules; the bundle of one selection) -> `views` (dashboard, PDF, site, form) and the CLI.

    ctx = regioportret.open_context(data)      # once per dataset
    s = ctx.selectie(regios=[12])              # every figure of region 12, computed once
"""

__version__ = "0.1.0"

__all__ = ["Context", "Dataset", "laad", "open_context", "__version__"]

# Loaded on first use (PEP 562): importing the package (a page's kernel module, the CLI's
# --help) costs nothing until a name is asked for.
_NAMEN = {"Context": "context", "open_context": "context", "Dataset": "store", "laad": "store"}


def __getattr__(naam: str):
    if naam in _NAMEN:
        from importlib import import_module

        return getattr(import_module(f".{_NAMEN[naam]}", __name__), naam)
    raise AttributeError(f"module {__name__!r} has no attribute {naam!r}")
