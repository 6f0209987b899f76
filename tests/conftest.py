"""Session-scoped fixtures (building the outputs once is the slow part), the strict schema for
every run the tests make, and the `realpdf` marker: a test marked so is skipped, with its reason,
where ../shared/real-pdfs is absent."""

from __future__ import annotations

import os

import pytest
from helpers import REAL_PDFS, SEED_SAMPLE, through_facts

from pipeline.io import STRICT_SCHEMA_ENV

# A row key that its table's schema lacks fails the tests (worker processes inherit this).
os.environ[STRICT_SCHEMA_ENV] = "1"


def pytest_collection_modifyitems(config, items):
    """Skip the tests marked `realpdf` when the shared real reports are not there."""
    if REAL_PDFS.is_dir():
        return
    skip = pytest.mark.skip(reason=f"{REAL_PDFS} is absent (the shared real reports)")
    for item in items:
        if item.get_closest_marker("realpdf"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def nlp():
    from pipeline.views.spans import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def seed_doc():
    """The seed sample brought through every per-document stage (the facts record's data)."""
    return through_facts(SEED_SAMPLE.read_bytes())
