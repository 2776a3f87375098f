"""The Concept screen shows how often each claim holds, measured off the UI thread and
cached on disk; a ✗ on the learner's own run is explained."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from studyreg.content.models import Fact
from studyreg.experiments import run_experiment
from studyreg.study import verify
from studyreg.tui.widgets.fact_list import (
    FactList,
    fact_views,
    option_line,
    rate_text,
    render_facts,
)
from tests.tui.conftest import set_param, settle


def zeros_held(alpha_l1: float, seeds: range = range(50)) -> int:
    """How often the pack's first claim (lasso.n_zero > ridge.n_zero) holds, measured here."""
    return sum(
        run_experiment("l1_vs_l2", {"alpha_l1": alpha_l1}, s).outputs["lasso.n_zero"] > 0
        for s in seeds
    )


async def open_sparsity(app, pilot):
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    return app.screen


def facts_text(screen) -> str:
    """Each fact in full, as the detail under the list shows it when highlighted."""
    facts = screen.query_one("#facts", FactList)
    return "\n".join(str(facts.detail_of(n)) for n in range(len(facts.facts)))


async def rerun(app, pilot, screen, alpha_l1: str, seed: str) -> None:
    await pilot.press("e")  # the form is built when its tab is first shown
    await settle(app, pilot)
    set_param(screen, "alpha_l1", alpha_l1)
    set_param(screen, "seed", seed)
    screen.query_one("#concept-text").focus()
    await pilot.press("r")
    await settle(app, pilot)


async def test_each_checked_fact_shows_its_measured_rate(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sparsity(app, pilot)
        text = facts_text(screen)
        held = zeros_held(0.1)
        assert "✓ Lasso has exact zeros, ridge none." in text
        assert (
            "lasso.n_zero (=11) > ridge.n_zero (=0)\n"
            f"  holds on {held}/50 seeds at these parameters" in text
        )
        assert "holds on 50/50 seeds" in text  # ridge keeps every weight
        assert text.count("holds on") == 2  # the fact without a check has no rate
        # the list: one line per fact, its mark and short rate first
        facts = screen.query_one("#facts", FactList)
        assert facts.option_text(0) == f"✓ {held:>2}/50  Lasso has exact zeros, ridge none."
        # the whole as text keeps the rate of a claim that holds on its check's line
        whole = str(facts.as_text())
        assert f"lasso.n_zero (=11) > ridge.n_zero (=0)  · holds on {held}/50 seeds" in whole


async def test_rates_are_cached_on_disk_and_not_measured_again(
    make_app, tmp_path: Path, monkeypatch
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_sparsity(app, pilot)
    [cached] = (tmp_path / "data" / "cache" / "claims").glob("tui-test-*.json")
    assert '"sparsity"' in cached.read_text()

    def refuse(*args, **kwargs):
        raise AssertionError("measured again despite the cache")

    monkeypatch.setattr(verify, "verify_pack", refuse)
    again = make_app()
    async with again.run_test(size=(100, 30)) as pilot:
        screen = await open_sparsity(again, pilot)
        assert f"holds on {zeros_held(0.1)}/50 seeds" in facts_text(screen)


async def test_a_failing_run_of_a_solid_claim_is_one_of_the_few_seeds(make_app) -> None:
    # At alpha_l1 = 0.03 the lasso keeps a zero on every seed but seed 2.
    assert run_experiment("l1_vs_l2", {"alpha_l1": 0.03}, 2).outputs["lasso.n_zero"] == 0
    held = zeros_held(0.03)
    assert held >= 45
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sparsity(app, pilot)
        await rerun(app, pilot, screen, "0.03", "2")
        text = facts_text(screen)
        assert "✗ Lasso has exact zeros, ridge none." in text
        line = screen.query_one("#facts", FactList).option_text(0)
        assert line == f"✗ {held}/50  Lasso has exact zeros, ridge none."
        share = round(100 * (50 - held) / 50)
        assert (
            f"holds on {held}/50 seeds at these parameters: this run is one of the {share}% "
            "where the effect does not show" in text
        )


async def test_a_failing_claim_at_weak_parameters_is_said_not_to_hold(make_app) -> None:
    held = zeros_held(0.001)
    assert held < 25
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sparsity(app, pilot)
        await rerun(app, pilot, screen, "0.001", "0")
        text = facts_text(screen)
        assert "✗ Lasso has exact zeros, ridge none." in text
        assert (
            f"holds on {held}/50 seeds at these parameters: this claim does not hold at "
            "these parameters" in text
        )


def test_rate_text_for_a_run_that_holds_gives_the_counts_only() -> None:
    rate = SimpleNamespace(held=12, seeds=50, rate=0.24)
    assert rate_text(rate, True, 0.9) == "holds on 12/50 seeds at these parameters"
    solid = SimpleNamespace(held=50, seeds=50, rate=1.0)
    assert rate_text(solid, False, 0.9).endswith(
        "one of the rare seeds (none of the 50 measured) where the effect does not show"
    )


def test_facts_wait_for_their_rate_while_it_is_measured() -> None:
    fact = Fact(text="A claim.", check="x > 0")
    check = SimpleNamespace(fact=fact, passed=True, detail="x (=1) > 0")
    text = str(render_facts([fact], [check], None, pending=False, measuring="measuring… 5/50"))
    assert text == "✓ A claim.\n  x (=1) > 0\n  measuring… 5/50"


async def test_rates_measured_in_worker_processes_reach_the_screen(make_app, monkeypatch) -> None:
    from studyreg.study import verify_runs

    monkeypatch.setattr(verify_runs, "POOL_THRESHOLD_S", 0.0)  # a pool even for cheap runs
    processes: list[int] = []
    execute = verify_runs.execute

    def spy(*args, **kwargs):
        outcomes, used = execute(*args, **kwargs)
        processes.append(used)
        return outcomes, used

    monkeypatch.setattr(verify_runs, "execute", spy)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_sparsity(app, pilot)
        text = facts_text(screen)
        assert "could not measure" not in text
        assert f"holds on {zeros_held(0.1)}/50 seeds" in text
    assert processes == [1]  # one worker process, and no fallback to this one


def test_the_cache_key_changes_with_the_packs_files_and_the_seeds(tmp_path: Path) -> None:
    from studyreg.study.claim_cache import pack_key
    from studyreg.study.packs import load_pack

    source = Path(__file__).parent / "data" / "tui_pack.yaml"
    copy = tmp_path / "pack.yaml"
    copy.write_text(source.read_text())
    key = pack_key(load_pack(copy), 50)
    assert pack_key(load_pack(copy), 50) == key
    assert pack_key(load_pack(copy), 20) != key
    copy.write_text(
        source.read_text().replace("check: ridge.n_zero == 0", "check: ridge.n_zero < 1")
    )
    assert pack_key(load_pack(copy), 50) != key


def test_each_fact_line_gives_its_mark_and_short_rate_before_its_text() -> None:
    checked = Fact(text="A claim.", check="x > 0")
    plain = Fact(text="A remark.")
    check = SimpleNamespace(fact=checked, passed=False, detail="x (=-1) > 0")
    rate = {0: SimpleNamespace(held=12, seeds=50, rate=0.24)}

    def lines(checks, rates, **kwargs) -> list[str]:
        views = fact_views([checked, plain], checks, rates, **kwargs)
        return [option_line(view).plain for view in views]

    assert lines([check], rate, pending=False) == ["✗ 12/50  A claim.", "·        A remark."]
    measuring = lines([check], None, pending=False, measuring="measuring…")
    assert measuring[0] == "✗     …  A claim."
    assert lines([], None, pending=False, locked=True)[0] == "🔒       A claim."
    assert lines([], None, pending=True)[0] == "…     …  A claim."


async def test_claims_are_measured_only_after_a_moment_on_the_concept(
    make_app, monkeypatch
) -> None:
    """The measurement (worker processes, a first seed in this process) stays off the
    concept's first frames, and a concept left at once is not measured at all."""
    from studyreg.tui.widgets import fact_list

    started: list[object] = []
    measure = fact_list.FactList.measure

    def recording(self, params):
        started.append(params)
        return measure(self, params)

    monkeypatch.setattr(fact_list.FactList, "measure", recording)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        # Timing-free: a delay no test outlasts shows the first frames stay unmeasured.
        monkeypatch.setattr(fact_list, "MEASURE_AFTER_S", 3600)
        screen = await open_sparsity(app, pilot)  # settled: the run is in, its checks shown
        assert started == []
        assert "measuring how often it holds" in facts_text(screen)
        await pilot.press("escape")

        monkeypatch.setattr(fact_list, "MEASURE_AFTER_S", 0.2)
        await pilot.press("enter", "escape")  # opened and left at once
        await pilot.pause(0.5)
        await settle(app, pilot)
        assert started == []  # left: never started

        screen = await open_sparsity(app, pilot)
        for _ in range(100):  # measured once the delay is over, within a few frames
            await pilot.pause(0.05)
            await settle(app, pilot)
            if "measuring how often" not in facts_text(screen):
                break
        assert len(started) == 1
        assert f"holds on {zeros_held(0.1)}/50 seeds" in facts_text(screen)
