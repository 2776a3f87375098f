"""Pack-local experiments: refused until trusted, isolated when run, scoped to their pack."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from studyreg.content import PackError
from studyreg.sandbox import code_digest
from studyreg.sandbox.worker import Limits, PackWorker, SandboxError
from studyreg.study import lab
from studyreg.study.catalog import Catalog
from studyreg.study.packs import load_pack
from studyreg.study.session import Session
from studyreg.study.trust import TrustStore, use_trust_store

DATA = Path(__file__).parent / "data" / "packcode"
SENTINEL = """
from pathlib import Path as _Path
(_Path(__file__).parent.parent / "imported.flag").write_text("imported")
"""


def make_pack(root: Path, *, modules: tuple[str, ...] = ("coin",), sentinel: bool = False) -> Path:
    (root / "experiments").mkdir(parents=True)
    (root / "pack.yaml").write_text("id: coins\ntitle: Coins\nlimits: {timeout_s: 3}\n")
    shutil.copy(DATA / "coin.yaml", root / "coin.yaml")
    for name in modules:
        code = (DATA / f"{name}.py").read_text()
        (root / "experiments" / f"{name}.py").write_text(code + (SENTINEL if sentinel else ""))
    return root


@pytest.fixture
def trust(tmp_path: Path) -> Iterator[TrustStore]:
    store = TrustStore(tmp_path / "data")
    use_trust_store(store)
    yield store
    use_trust_store(None)


def cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STUDYREG_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "studyreg", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def direct_run(path: Path, params: dict, seed: int):
    """What the author's own `run` returns, imported here on purpose (the test trusts it)."""
    spec = importlib.util.spec_from_file_location("direct_coin", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    experiment = module.EXPERIMENT
    return experiment.run(experiment.params_model(**params), seed)


# --- trust ------------------------------------------------------------------------


def test_untrusted_pack_is_refused_by_validate_and_its_code_never_imported(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "pack", sentinel=True)
    done = cli("validate", "--strict", str(pack), home=tmp_path / "home")
    assert done.returncode == 1
    assert (
        f"{pack}: this pack contains code (experiments/coin.py); read it, then run "
        f"'studyreg trust {pack}'" in done.stdout
    )
    assert not (pack / "imported.flag").exists()


def test_untrusted_pack_loads_its_text_and_locks_what_needs_code(
    tmp_path: Path, trust: TrustStore
) -> None:
    pack = make_pack(tmp_path / "pack", sentinel=True)
    catalog = Catalog.load([pack])
    assert catalog.problems == []
    [(loaded, concept)] = catalog.concepts()
    assert concept.facts[0].id == "law-of-large-numbers"
    session = Session(catalog, mode="quiz", seed=1)
    served = []
    while (item := session.next_item()) is not None:
        served.append(item.question.id)
    assert served == ["fair"]
    [skipped] = session.skipped
    assert skipped.message.startswith("locked: ")
    assert "this pack contains code (experiments/coin.py)" in skipped.message
    assert "studyreg trust" in skipped.message
    with pytest.raises(lab.LockedExperiment, match="read it, then run 'studyreg trust"):
        lab.run("coin", {}, 0, scope=str(pack.resolve()))
    assert not (pack / "imported.flag").exists()


def test_trust_records_the_hash_and_any_edit_revokes_it(tmp_path: Path, trust: TrustStore) -> None:
    pack = make_pack(tmp_path / "pack")
    assert not trust.is_trusted(pack)
    status = trust.trust(pack)
    assert status.trusted and status.files == ("experiments/coin.py",)
    assert status.digest == code_digest(pack) and len(status.digest) == 64
    (pack / "experiments" / "coin.py").write_text(
        (pack / "experiments" / "coin.py").read_text() + "\n# a harmless edit\n"
    )
    edited = trust.status(pack)
    assert not edited.trusted and edited.changed_since_trusted
    (pack / "experiments" / "helper.py").unlink(missing_ok=True)
    trust.trust(pack)
    (pack / "experiments" / "_helper.py").write_text("X = 1\n")  # a new helper file counts too
    assert not trust.is_trusted(pack)
    assert trust.revoke(pack) and not trust.revoke(pack)


def test_trust_command_shows_files_and_hash_and_needs_confirmation(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "pack")
    home = tmp_path / "home"
    refused = cli("trust", str(pack), home=home)
    assert refused.returncode == 2
    assert "experiments/coin.py" in refused.stdout
    assert code_digest(pack) in refused.stdout
    assert "--yes" in refused.stderr
    assert cli("trust", str(pack), "--yes", home=home).returncode == 0
    listed = cli("trust", "--list", home=home)
    assert listed.stdout.startswith("trusted") and str(pack.resolve()) in listed.stdout
    (pack / "experiments" / "coin.py").write_text("# replaced\n")
    assert "CHANGED since trusted" in cli("trust", "--list", home=home).stdout
    revoked = cli("trust", "--revoke", str(pack), home=home)
    assert "no longer trusted" in revoked.stdout
    assert cli("trust", "--list", home=home).stdout.strip() == "no pack is trusted"


def test_a_corrupt_trust_file_trusts_nothing_and_is_kept_aside(
    tmp_path: Path, trust: TrustStore
) -> None:
    pack = make_pack(tmp_path / "pack")
    trust.path.parent.mkdir(parents=True)
    trust.path.write_text("{not json")
    assert not trust.is_trusted(pack)
    assert "not a studyreg trust file" in (trust.notice or "")
    trust.trust(pack)
    assert trust.is_trusted(pack)
    assert len(list(trust.path.parent.glob("trusted-packs.json.corrupt-*"))) == 1


# --- running ------------------------------------------------------------------------


def test_cli_runs_a_pack_experiment_with_exactly_the_numbers_of_a_direct_call(
    tmp_path: Path,
) -> None:
    pack = make_pack(tmp_path / "pack")
    home = tmp_path / "home"
    assert cli("trust", str(pack), "--yes", home=home).returncode == 0
    npz = tmp_path / "out.npz"
    done = cli(
        "experiment", "coin", "--pack", str(pack), "--set", "n=777", "--set", "p=0.3",
        "--seed", "11", "--json", "--npz", str(npz), home=home,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    expected = direct_run(pack / "experiments" / "coin.py", {"n": 777, "p": 0.3}, 11)
    assert payload["outputs"] == expected.outputs
    assert payload["params"] == {"n": 777, "p": 0.3}
    with np.load(npz) as arrays:
        np.testing.assert_array_equal(arrays["flips"], expected.arrays["flips"])
    listed = cli("experiment", "--list", "--pack", str(pack), home=home).stdout
    assert f"pack {pack.resolve()}/experiments/coin.py" in listed
    assert "built-in" in listed


def test_pack_experiment_results_match_a_direct_call_with_series_and_arrays(
    tmp_path: Path, trust: TrustStore
) -> None:
    pack = make_pack(tmp_path / "pack")
    trust.trust(pack)
    result = lab.run("coin", {"n": 300}, 5, scope=str(pack.resolve()))
    expected = direct_run(pack / "experiments" / "coin.py", {"n": 300}, 5)
    assert result.outputs == expected.outputs
    assert isinstance(result.outputs["heads"], int)
    np.testing.assert_array_equal(result.arrays["flips"], expected.arrays["flips"])
    series = result.series["running"]
    np.testing.assert_array_equal(series.y, expected.series["running"].y)
    assert (series.figure, series.xscale) == ("share of heads", "log")
    spec = lab.spec("coin", str(pack.resolve()))
    assert spec.source == f"pack {pack.resolve()}" and spec.key_outputs == ("rate",)
    assert spec.bounds == {"n": (1, 100_000), "p": (0.0, 1.0)}


def test_parameter_errors_from_pack_code_read_like_built_in_ones(
    tmp_path: Path, trust: TrustStore
) -> None:
    pack = make_pack(tmp_path / "pack")
    trust.trust(pack)
    scope = str(pack.resolve())
    with pytest.raises(
        lab.ParameterError, match=r"p = 2 is out of range: must be a number between 0 and 1"
    ):
        lab.run("coin", {"p": 2}, 0, scope=scope)
    with pytest.raises(lab.ParameterError, match="unknown parameter 'q'"):
        lab.validate("coin", {"q": 1}, scope)


def test_an_endless_experiment_times_out_with_a_clear_error_and_the_worker_recovers(
    tmp_path: Path,
) -> None:
    pack = make_pack(tmp_path / "pack", modules=("coin", "hang"))
    worker = PackWorker(pack, Limits(timeout_s=1.5, memory_mb=1024))
    try:
        worker.ping()
        started = time.monotonic()
        with pytest.raises(
            SandboxError, match=r"'hang' was stopped after 1.5 s, the pack's time limit"
        ):
            worker.run("hang", {}, 0)
        assert time.monotonic() - started < 10
        assert worker.run("coin", {"n": 10}, 0).outputs["heads"] >= 0
    finally:
        worker.close()


def test_a_memory_hog_is_stopped_by_the_memory_limit(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "pack", modules=("coin", "hang"))
    worker = PackWorker(pack, Limits(timeout_s=30, memory_mb=1024))
    try:
        with pytest.raises(SandboxError, match="ran out of memory: the pack's limit is 1024 MB"):
            worker.run("hang", {"megabytes": 4096}, 0)
        assert worker.run("hang", {"megabytes": 8}, 0).outputs["total"] == 8 * 1024 * 128
    finally:
        worker.close()


def test_the_child_gets_no_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = make_pack(tmp_path / "pack")
    (pack / "experiments" / "peek.py").write_text(
        (DATA / "coin.py")
        .read_text()
        .replace('name="coin"', 'name="peek"')
        .replace(
            '"rate": rate,',
            '"rate": float("STUDYREG_HOME" in __import__("os").environ),',
        )
    )
    monkeypatch.setenv("STUDYREG_HOME", str(tmp_path / "secret"))
    worker = PackWorker(pack)
    try:
        assert worker.run("peek", {}, 0).outputs["rate"] == 0.0
    finally:
        worker.close()


# --- names --------------------------------------------------------------------------


def test_a_pack_experiment_may_not_shadow_a_built_in(tmp_path: Path, trust: TrustStore) -> None:
    pack = make_pack(tmp_path / "pack")
    shutil.copy(pack / "experiments" / "coin.py", pack / "experiments" / "dropout.py")
    trust.trust(pack)
    with pytest.raises(PackError) as caught:
        load_pack(pack)
    [problem] = caught.value.problems
    assert problem.file.endswith("experiments/dropout.py")
    assert "may not shadow the built-in experiment 'dropout'" in problem.message


def test_two_packs_each_have_their_own_experiment_of_the_same_name(
    tmp_path: Path, trust: TrustStore
) -> None:
    first = make_pack(tmp_path / "first")
    second = make_pack(tmp_path / "second")
    code = (second / "experiments" / "coin.py").read_text()
    (second / "experiments" / "coin.py").write_text(
        code.replace('"heads": int(flips.sum())', '"heads": int(flips.sum()) + 1000')
    )
    trust.trust(first)
    trust.trust(second)
    a = lab.run("coin", {"n": 50}, 3, scope=str(first.resolve())).outputs["heads"]
    b = lab.run("coin", {"n": 50}, 3, scope=str(second.resolve())).outputs["heads"]
    assert b == a + 1000
    with pytest.raises(lab.ExperimentError, match="unknown experiment 'coin'"):
        lab.run("coin", {}, 0)  # not visible outside its pack


def test_an_unknown_name_lists_the_pack_s_own_experiments(
    tmp_path: Path, trust: TrustStore
) -> None:
    pack = make_pack(tmp_path / "pack")
    with pytest.raises(lab.ExperimentError, match="this pack's own: coin"):
        lab.resolve("coins", str(pack.resolve()))


# --- end to end ---------------------------------------------------------------------


def test_plain_quiz_grades_a_pack_experiment_live(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "pack")
    home = tmp_path / "home"
    cli("trust", str(pack), "--yes", home=home)
    env = {**os.environ, "STUDYREG_HOME": str(home)}
    done = subprocess.run(
        [sys.executable, "-m", "studyreg", "--pack", str(pack), "quiz", "--plain", "--seed", "4",
         "--types", "computed", "--count", "1"],
        input="0\n", capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "How many heads come up?" in done.stdout
    assert f"--pack {pack.resolve()}" in done.stdout  # the reproduce line names the pack
    answer = int(done.stdout.split("answer: ")[1].split()[0])
    assert 0 < answer < 4000


def test_a_batch_of_pack_runs_spreads_over_sandboxes_and_keeps_task_order(
    tmp_path: Path, trust: TrustStore
) -> None:
    pack = make_pack(tmp_path / "pack")
    trust.trust(pack)
    scope = str(pack.resolve())
    tasks = [({"n": 100 + seed}, seed) for seed in range(12)] + [({"p": 3}, 0)]
    results = lab.run_pack_batch("coin", scope, tasks, processes=2)
    for (params, seed), result in zip(tasks[:-1], results[:-1], strict=True):
        assert result.outputs == lab.run("coin", params, seed, scope=scope).outputs
    assert isinstance(results[-1], lab.ParameterError)


def test_paths_names_the_trust_file(tmp_path: Path) -> None:
    out = cli("paths", home=tmp_path / "home").stdout
    assert f"trusted pack code: {tmp_path / 'home' / 'trusted-packs.json'}" in out


def test_experiment_list_shows_the_experiments_of_packs_in_studyreg_packs(tmp_path: Path) -> None:
    pack = make_pack(tmp_path / "pack")
    env = {**os.environ, "STUDYREG_HOME": str(tmp_path / "home"), "STUDYREG_PACKS": str(pack)}
    done = subprocess.run(
        [sys.executable, "-m", "studyreg", "experiment", "--list"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    row = next(line for line in done.stdout.splitlines() if line.startswith("coin "))
    assert f"pack {pack.resolve()}/experiments/coin.py" in row
    assert "not run" in row and "studyreg trust" in row  # untrusted: described, never imported
