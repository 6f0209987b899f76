"""The same documents on a Dask cluster (a LocalCluster on 127.0.0.1 with two workers)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from helpers import FIXTURES, RAW, run_config
from slowpdf import HANGS_NAME, nested_forms_pdf

from pipeline import io
from pipeline.config import RunConfig
from pipeline.errors import SchedulerError
from pipeline.runner import run_pipeline
from pipeline.schema import TABLES

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as local_cluster:
        yield local_cluster


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    """The samples, a truncated PDF and one whose extraction would run for hours."""
    folder = tmp_path_factory.mktemp("cluster") / "raw"
    shutil.copytree(RAW, folder)
    shutil.copy(FIXTURES / "truncated.pdf", folder)
    (folder / HANGS_NAME).write_bytes(nested_forms_pdf())
    return folder


def _config(raw, base, **settings) -> RunConfig:
    return run_config(raw, base, timeout=6, **settings)


def test_a_cluster_run_writes_the_tables_of_a_local_run(cluster, raw, tmp_path):
    on_cluster = run_pipeline(
        _config(raw, tmp_path / "cluster", scheduler=cluster.scheduler_address)
    )
    local = run_pipeline(_config(raw, tmp_path / "local", jobs=2))
    assert on_cluster.counts == local.counts
    assert on_cluster.counts["documents"] == 5 and on_cluster.counts["ok"] == 3
    for name in TABLES:
        pd.testing.assert_frame_equal(
            io.read_table(tmp_path / "cluster" / "out", name),
            io.read_table(tmp_path / "local" / "out", name),
        )
    hang = next(s for s in on_cluster.summaries if s["source_path"] == HANGS_NAME)
    assert "took longer than the 6 s timeout" in hang["error"]
    again = run_pipeline(_config(raw, tmp_path / "cluster", scheduler=cluster.scheduler_address))
    assert again.processed == [] and not again.tables_written


def test_a_cluster_running_other_pipeline_code_is_refused(cluster, raw, tmp_path, monkeypatch):
    monkeypatch.setattr("pipeline.figures.document.VERSION", "changed-here-only")
    config = _config(raw, tmp_path, scheduler=cluster.scheduler_address)
    with pytest.raises(SchedulerError, match="runs other pipeline code"):
        run_pipeline(config)
