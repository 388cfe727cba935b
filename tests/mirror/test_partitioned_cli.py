"""`erbm-geo indicators --of PATH --engine dask`: invented buildings over the basin's communes,
read partition by partition, give the table the in-memory path gives, written as GeoParquet parts."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from erbm_geo.cli import main
from erbm_geo.export import read, write_partitioned
from erbm_geo.indicators import builtin, indicator_table
from erbm_geo.layers.partitioned import read_partitioned
from erbm_geo.synthetic import synthetic_buildings, synthetic_buildings_partitioned


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    basin = builtin.communes().query("in_basin")
    lazy = synthetic_buildings_partitioned(basin, 1_500, seed=11, partition_size=400)
    return write_partitioned(lazy, tmp_path_factory.mktemp("in") / "batiments", spatial_order=None)


@pytest.mark.filterwarnings("ignore::erbm_geo.errors.DataQualityWarning")
def test_cli_dask_engine_equals_in_memory(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "indicateurs"
    assert main(["indicators", "--of", str(folder), "--engine", "dask", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "4 partition(s)" in err and "100% Completed" in err  # the progress bar
    assert sorted(p.name for p in out.iterdir()) == [
        "_erbm_geo.json",
        "_sources.csv",
        *[f"part.{i}.parquet" for i in range(4)],
    ]
    got = read_partitioned(out).compute().sort_index()
    basin = builtin.communes().query("in_basin")
    expected = indicator_table(synthetic_buildings(basin, 1_500, seed=11, partition_size=400))
    assert isinstance(got, gpd.GeoDataFrame) and len(got) == 1_500
    pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(expected), check_exact=True)
    assert "qpv" in set(read(out / "_sources.csv")["jeu_de_donnees"])  # the French sources sheet


def test_cli_memory_engine_reads_a_path(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "indicateurs.parquet"
    assert main(["-q", "indicators", "--of", str(folder / "part.0.parquet"), "--out", str(out)]) == 0
    assert len(read(out)) == 400


def test_cli_dask_engine_errors(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["indicators", "--engine", "dask", "--out", str(tmp_path / "x")]) == 2
    assert "give its path with --of" in capsys.readouterr().err
    assert main(["indicators", "--scheduler", "tcp://127.0.0.1:9", "--out", str(tmp_path / "x.csv")]) == 2
    assert "--engine dask only" in capsys.readouterr().err
    code = main(
        [
            "indicators",
            "--of",
            str(folder),
            "--engine",
            "dask",
            "--scheduler",
            "tcp://127.0.0.1:9",
            "--out",
            str(tmp_path / "y"),
        ]
    )
    assert code == 2
    assert "cannot reach the dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err
    assert (
        main(["indicators", "--of", str(tmp_path / "none"), "--engine", "dask", "--out", str(tmp_path / "z")])
        == 2
    )
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.filterwarnings("ignore::erbm_geo.errors.DataQualityWarning")
def test_cli_on_a_running_scheduler(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--scheduler ADDRESS: a scheduler and a worker process listening on TCP, as on a cluster."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://")
        out = tmp_path / "indicateurs"
        code = main(
            ["indicators", "--of", str(folder), "--engine", "dask", "--scheduler", address, "--out", str(out)]
        )
        assert code == 0, capsys.readouterr().err
    got = read_partitioned(out).compute().sort_index()
    basin = builtin.communes().query("in_basin")
    expected = indicator_table(synthetic_buildings(basin, 1_500, seed=11, partition_size=400))
    pd.testing.assert_frame_equal(pd.DataFrame(got), pd.DataFrame(expected), check_exact=True)
