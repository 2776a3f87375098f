"""One domain error base: user mistakes are StudyregErrors, shown as they are; a
ValueError or KeyError escaping the core is a bug, and is not dressed up as the user's."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyreg.content import PackError
from studyreg.content.yaml_source import YamlProblems
from studyreg.errors import NotFoundError, StudyregError
from studyreg.experiments import ExperimentError, ParameterError
from studyreg.experiments.toolbox.coordinate_descent import ConvergenceError
from studyreg.expr.errors import ExpressionError, LocatedError, TemplateError
from studyreg.grading import AnswerParseError, NumberParseError
from studyreg.interop.gift import GiftError
from studyreg.sandbox.worker import SandboxError
from studyreg.study.catalog import Catalog
from studyreg.study.lab import LockedExperiment
from studyreg.study.store import StoreError

PACK = Path(__file__).parent / "data" / "study_pack.yaml"

DOMAIN_ERRORS = [
    ExperimentError,
    ParameterError,
    ConvergenceError,
    LockedExperiment,
    SandboxError,
    AnswerParseError,
    NumberParseError,
    LocatedError,
    ExpressionError,
    TemplateError,
    GiftError,
    PackError,
    YamlProblems,
    StoreError,
    NotFoundError,
]


@pytest.mark.parametrize("cls", DOMAIN_ERRORS, ids=lambda cls: cls.__name__)
def test_every_domain_error_has_the_one_base_and_is_not_a_value_or_key_error(cls) -> None:
    assert issubclass(cls, StudyregError)
    assert not issubclass(cls, ValueError)
    assert not issubclass(cls, KeyError)


def test_a_lookup_error_prints_its_message_without_quotes() -> None:
    catalog = Catalog.load([PACK])
    with pytest.raises(NotFoundError) as caught:
        catalog.find_concept("study-test/nope")
    assert str(caught.value).startswith("no concept 'nope' in pack 'study-test'; known: basics")
    with pytest.raises(NotFoundError) as caught:
        catalog.find_concept("elsewhere/nope")
    assert str(caught.value) == "no pack 'elsewhere'; loaded: study-test"


def test_quiz_names_the_missing_concept_of_a_pack_in_full(capsys, tmp_path: Path) -> None:
    # It printed only "studyreg: error: nope": the KeyError's bare argument.
    from studyreg.cli import main

    code = main(
        ["quiz", "--plain", "--pack", str(PACK), "--data-dir", str(tmp_path)]
        + ["--concept", "study-test/nope"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("studyreg: error: no concept 'nope' in pack 'study-test'; known: ")


def _broken_run(params, seed):
    raise ValueError("operands could not be broadcast together with shapes (3,) (4,)")


def test_a_numpy_bug_inside_an_experiment_is_not_shown_as_the_users_mistake(
    monkeypatch, capsys
) -> None:
    # It was reported as "l1_vs_l2 failed at these parameters: operands ...", exit 2.
    from dataclasses import replace

    from studyreg.cli import main
    from studyreg.experiments import registry

    broken = replace(registry.get_experiment("l1_vs_l2"), run=_broken_run)
    monkeypatch.setattr(registry, "get_experiment", lambda name: broken)
    with pytest.raises(ValueError, match="operands could not be broadcast"):
        main(["experiment", "l1_vs_l2", "--seed", "987654"])
    assert "failed at these parameters" not in capsys.readouterr().err


def test_a_domain_error_no_command_caught_is_still_one_line(monkeypatch, capsys) -> None:
    from studyreg.cli import main
    from studyreg.commands import paths

    def refuse(args):
        raise StudyregError("the data directory is on fire")

    monkeypatch.setattr(paths, "run", refuse)
    assert main(["paths"]) == 1
    assert capsys.readouterr().err == "studyreg: error: the data directory is on fire\n"


def test_the_app_shows_a_domain_error_as_is_and_a_bug_with_its_type() -> None:
    from studyreg.tui.workers import describe_error

    assert describe_error(ParameterError("lr = 5 is out of range")) == "lr = 5 is out of range"
    assert describe_error(ValueError("shapes (3,) (4,)")) == "ValueError: shapes (3,) (4,)"
    assert describe_error(KeyError("W0")) == "KeyError: 'W0'"
