"""Regioportretten: data portraits of technical vmbo education per STO region.

Layers: `sources` (raw files -> tidy tables) -> `store` (processed dataset) -> `model`
(regions, portraits, rules) -> `views` (notebook and dashboard output).
"""

__version__ = "0.1.0"

from .store import Dataset, laad  # noqa: E402

__all__ = ["Dataset", "laad", "__version__"]
