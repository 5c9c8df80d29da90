"""Dutch number formatting as users read it."""

import pandas as pd

from regioportret.format import getal, procent


def test_getal_en_procent():
    assert getal(1234567) == "1.234.567" and getal(0) == "0" and getal(12.0) == "12"
    assert procent(0.113675) == "11,4%" and procent(0.1, 2) == "10,00%"
    for leeg in (None, float("nan"), pd.NA):
        assert getal(leeg) == "–" and procent(leeg) == "–"
