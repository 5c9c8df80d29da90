"""Pure functions on the tidy tables: regions, portraits, forecasts, rules, and the bundle of
one selection. No file, environment or cache access: the context (regioportret.context) reads
the data and hands it in."""

from .portret import Basis, Portret, basis
from .regios import Indeling, kies_regios

__all__ = ["Basis", "basis", "Portret", "Indeling", "kies_regios"]
