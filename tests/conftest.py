"""Shared fixtures: hand-made raw files in the exact DUO layouts, the demo data, the real data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from hulp import DEMO, FIXTURES


@pytest.fixture(autouse=True, scope="session")
def _eigen_cache(tmp_path_factory):
    """Tests build their own cache, so a stale user cache can never make them pass."""
    os.environ["REGIOPORTRET_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    os.environ.pop("REGIOPORTRET_DATA", None)
    os.environ.pop("REGIOPORTRET_INDELING", None)


@pytest.fixture
def raw(tmp_path) -> Path:
    """A writable copy of the hand-made raw folder."""
    doel = tmp_path / "raw"
    shutil.copytree(FIXTURES / "raw", doel)
    return doel


@pytest.fixture(scope="session")
def demo_ds():
    import regioportret as rp

    return rp.laad(DEMO)


@pytest.fixture(scope="session")
def demo_ctx():
    """The context of the embedded demo data: one per test session, as one per page."""
    import regioportret as rp

    return rp.open_context(DEMO)


@pytest.fixture(scope="session")
def real_data() -> Path:
    pad = os.environ.get("REGIOPORTRET_REAL_DATA")
    if not pad:
        pytest.skip("REGIOPORTRET_REAL_DATA is niet gezet (echte DUO-bestanden; .ci/run zet hem als ../shared/data bestaat)")
    p = Path(pad)
    if not p.is_dir():
        pytest.fail(f"REGIOPORTRET_REAL_DATA={pad} bestaat niet")
    return p
