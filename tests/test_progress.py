"""agrad.set_progress: the computes agrad starts on Dask show Dask's progress bar when asked, on
the local schedulers and on a dask.distributed cluster, and nothing is printed otherwise."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import agrad

BAR = "100% Completed"


@pytest.fixture
def progress():
    agrad.set_progress(True)
    try:
        yield
    finally:
        agrad.set_progress(False)


def _x():
    return agrad.arange(40.0, device="dask").reshape(4, 10) * 2


TRIGGERS = {
    "item": lambda: _x().sum().item(),
    "print": lambda: print(_x()),
    "numpy": lambda: _x().numpy(),
    "tolist": lambda: _x().tolist(),
    "compute": lambda: agrad.compute(_x(), _x().sum()),
    "bool": lambda: bool(_x().sum() > 0),
    "data-dependent shape": lambda: _x()[_x() > 10].shape,
    "np.asarray": lambda: __import__("numpy").asarray(_x()),
}


def test_flag_round_trip():
    assert agrad.get_progress() is False  # off unless asked for
    agrad.set_progress(True)
    try:
        assert agrad.get_progress() is True
    finally:
        agrad.set_progress(False)
    assert agrad.get_progress() is False


@pytest.mark.parametrize("value,expected", [("1", "True"), ("on", "True"), ("0", "False"),
                                            ("", "False")])
def test_environment_variable(value, expected):
    out = subprocess.run([sys.executable, "-c", "import agrad; print(agrad.get_progress())"],
                         env={**os.environ, "AGRAD_PROGRESS": value}, capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == expected


def test_environment_variable_must_be_a_switch():
    r = subprocess.run([sys.executable, "-c", "import agrad"],
                       env={**os.environ, "AGRAD_PROGRESS": "maybe"}, capture_output=True,
                       text=True)
    assert r.returncode != 0 and "AGRAD_PROGRESS='maybe'" in r.stderr


@pytest.mark.backends("dask")
@pytest.mark.parametrize("trigger", sorted(TRIGGERS))
def test_every_compute_agrad_triggers_shows_the_bar(trigger, progress, capsys):
    TRIGGERS[trigger]()
    assert BAR in capsys.readouterr().out


@pytest.mark.backends("dask")
@pytest.mark.parametrize("trigger", sorted(TRIGGERS))
def test_nothing_is_printed_when_off(trigger, capsys):
    TRIGGERS[trigger]()
    out, err = capsys.readouterr()
    assert BAR not in out and "Completed" not in err
    if trigger != "print":
        assert out == ""


@pytest.mark.backends("dask")
def test_one_bar_per_compute(progress, capsys):
    x = _x()
    agrad.compute(x, x.sum(), x.mean())  # three results, one compute
    assert capsys.readouterr().out.count(BAR) == 1


@pytest.mark.backends("dask")
def test_the_users_own_dask_computes_are_left_alone(progress, capsys):
    import dask.array as da

    assert int(da.ones(10, chunks=5).sum().compute()) == 10
    assert capsys.readouterr().out == ""


@pytest.mark.backends("numpy", "array_api_strict")
def test_eager_backends_print_nothing(progress, capsys):
    x = agrad.arange(10.0) * 2
    assert x.sum().item() == 90.0 and agrad.compute(x)[0].tolist() == x.tolist()
    assert capsys.readouterr().out == ""


# -- on a dask.distributed cluster ---------------------------------------------------------------

@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=1, processes=False, threads_per_worker=1,
                                       dashboard_address=None)
    try:
        with distributed.Client(cluster) as c:
            yield c
    finally:
        cluster.close()


@pytest.mark.backends("dask")
@pytest.mark.distributed
def test_distributed_progress_on_a_cluster(client, progress, capsys):
    import distributed

    with distributed.get_task_stream(client) as ts:
        assert _x().sum().item() == 1560.0
        assert _x()[_x() > 70].shape == (4,)
    out = capsys.readouterr().out
    assert out.count(BAR) >= 2  # the item, and the masked read's sizes
    assert ts.data  # the work ran on the cluster's worker
    # persist stays asynchronous on a cluster (no bar); reading its result shows one
    y = _x()
    agrad.persist(y)
    assert capsys.readouterr().out == ""
    assert y.sum().item() == 1560.0 and BAR in capsys.readouterr().out


@pytest.mark.backends("dask")
@pytest.mark.distributed
def test_a_configured_local_scheduler_wins_over_the_client(client, progress, capsys):
    import dask
    import distributed

    with distributed.get_task_stream(client) as ts, dask.config.set(scheduler="sync"):
        assert _x().sum().item() == 1560.0
    assert not ts.data  # ran here, as Dask itself would, with the local bar
    assert BAR in capsys.readouterr().out


@pytest.mark.backends("dask")
@pytest.mark.distributed
def test_nothing_is_printed_on_a_cluster_when_off(client, capsys):
    assert _x().sum().item() == 1560.0
    assert capsys.readouterr().out == ""
