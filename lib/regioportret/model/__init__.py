"""Pure functions on the tidy tables: regions, portraits, rules. No widgets, no file formats."""

from .portret import Basis, Portret, basis, portret, portretten
from .regios import Indeling, actieve_indeling, kies_regios

__all__ = ["Basis", "basis", "Portret", "portret", "portretten", "Indeling", "actieve_indeling", "kies_regios"]
