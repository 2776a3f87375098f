"""A pack with its own experiment in the app: locked until trusted, then live like a built-in."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.widgets import Static

from studyreg.study.trust import TrustStore
from studyreg.tui.screens.concept import ConceptScreen
from studyreg.tui.widgets.output_table import OutputTable
from studyreg.tui.widgets.plot import FigureBar
from tests.tui.conftest import settle

DATA = Path(__file__).parent.parent / "data" / "packcode"


def coin_pack(root: Path) -> Path:
    (root / "experiments").mkdir(parents=True)
    (root / "pack.yaml").write_text("id: coins\ntitle: Coins\n")
    shutil.copy(DATA / "coin.yaml", root / "coin.yaml")
    shutil.copy(DATA / "coin.py", root / "experiments" / "coin.py")
    return root


async def open_first_concept(app, pilot) -> ConceptScreen:
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, ConceptScreen)
    return app.screen


async def test_an_untrusted_pack_shows_its_text_and_locks_its_experiment(
    make_app, tmp_path: Path
) -> None:
    pack = coin_pack(tmp_path / "coins")
    (pack / "experiments" / "coin.py").write_text(
        (DATA / "coin.py").read_text() + "\nraise SystemExit('imported')\n"
    )
    app = make_app(pack_paths=[pack])
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_first_concept(app, pilot)
        assert "Flip a coin many times" in screen.query_one("#definition").source
        error = str(screen.query_one("#exp-error", Static).render())
        assert "this pack contains code (experiments/coin.py)" in error
        assert f"studyreg trust {pack.resolve()}" in error
        facts = str(screen.query_one("#fact-detail").render())  # the first fact
        assert "🔒 With thousands of flips" in facts
        assert "checked live (error < 0.05) once you trust this pack's code" in facts
        assert app.is_running


async def test_a_trusted_pack_experiment_runs_in_the_panel_with_its_plot(
    make_app, tmp_path: Path
) -> None:
    pack = coin_pack(tmp_path / "coins")
    TrustStore(tmp_path / "data").trust(pack)
    app = make_app(pack_paths=[pack])
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_first_concept(app, pilot)
        table = screen.query_one("#outputs", OutputTable)
        assert str(table.get_row("rate")[1]).startswith("0.")
        facts = str(screen.query_one("#fact-detail").render())  # the first fact
        assert "✓ With thousands of flips" in facts
        assert screen.query_one("#figures", FigureBar).titles == ["share of heads"]


async def test_home_marks_concepts_whose_experiment_is_locked(make_app, tmp_path: Path) -> None:
    from textual.widgets import Tree

    pack = coin_pack(tmp_path / "coins")
    app = make_app(pack_paths=[pack])
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        tree = app.screen.query_one("#concepts", Tree)
        [leaf] = tree.root.children[0].children
        assert str(leaf.label).endswith("🔒 locked")
        detail = str(app.screen.query_one("#detail-body", Static).render())
        assert "Its experiment and computed questions are locked" in detail
        assert "studyreg trust" in detail
        TrustStore(tmp_path / "data").trust(pack)
    app = make_app(pack_paths=[pack])
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        [leaf] = app.screen.query_one("#concepts", Tree).root.children[0].children
        assert "locked" not in str(leaf.label)
