"""Installed plugins register experiments through the `studyreg.experiments` entry points."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from studyreg.experiments import (
    experiment_names,
    experiment_spec,
    plugin_problems,
    refresh_plugins,
    run_experiment,
)

DATA = Path(__file__).parent / "data" / "packcode"


def install_plugin(site: Path, entries: str) -> Path:
    """A distribution as pip leaves it: the package and its .dist-info with entry points."""
    package = site / "coinplug"
    package.mkdir(parents=True)
    code = (DATA / "coin.py").read_text().replace('name="coin"', 'name="plug_coin"')
    (package / "__init__.py").write_text(code)
    info = site / "coinplug-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: coinplug\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[studyreg.experiments]\n{entries}\n")
    return site


@pytest.fixture
def plugin_site(tmp_path: Path) -> Iterator[Path]:
    site = install_plugin(
        tmp_path / "site", "plug_coin = coinplug:EXPERIMENT\ndropout = coinplug:EXPERIMENT"
    )
    sys.path.insert(0, str(site))
    refresh_plugins()
    yield site
    sys.path.remove(str(site))
    sys.modules.pop("coinplug", None)
    refresh_plugins()


def test_a_plugin_experiment_is_listed_described_and_run_in_process(plugin_site: Path) -> None:
    assert experiment_names()[-1] == "plug_coin"
    spec = experiment_spec("plug_coin")
    assert spec.source == "plugin coinplug"
    assert spec.location == "coinplug:EXPERIMENT"
    result = run_experiment("plug_coin", {"n": 100, "p": 1.0}, 3)
    assert result.outputs["heads"] == 100


def test_a_plugin_may_not_shadow_a_built_in(plugin_site: Path) -> None:
    assert experiment_spec("dropout").source == "built-in"
    assert plugin_problems() == [
        "plugin coinplug: 'dropout' would shadow the built-in experiment; ignored"
    ]


def test_a_broken_plugin_is_a_clear_error_not_a_crash(tmp_path: Path) -> None:
    site = install_plugin(tmp_path / "site", "plug_broken = coinplug.missing:EXPERIMENT")
    sys.path.insert(0, str(site))
    refresh_plugins()
    try:
        from studyreg.experiments import ExperimentError

        with pytest.raises(ExperimentError, match="plugin coinplug: cannot load experiment"):
            run_experiment("plug_broken", {}, 0)
    finally:
        sys.path.remove(str(site))
        refresh_plugins()


def test_the_cli_lists_and_runs_a_plugin_by_source(tmp_path: Path) -> None:
    site = install_plugin(tmp_path / "site", "plug_coin = coinplug:EXPERIMENT")
    env = {**os.environ, "PYTHONPATH": str(site), "STUDYREG_HOME": str(tmp_path / "home")}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "studyreg", *args],
            capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip

    listed = cli("experiment", "--list").stdout
    assert "plug_coin" in listed and "plugin coinplug" in listed
    done = cli("experiment", "plug_coin", "--set", "n=10", "--set", "p=0", "--json")
    assert json.loads(done.stdout)["outputs"] == {"heads": 0, "rate": 0.0, "error": 0.0}
