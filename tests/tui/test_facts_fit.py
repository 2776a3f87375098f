"""Issue 14: every fact's ✓/✗ and rate is visible on the Facts tab at 80×24, for every
concept of the bundled pack, without scrolling."""

from __future__ import annotations

from pathlib import Path

from studyreg.content.discovery import bundled_pack_path
from studyreg.study.claim_cache import ClaimCache
from studyreg.study.packs import load_pack
from studyreg.study.verify_report import ClaimRate
from studyreg.tui.screens.concept import ConceptScreen
from studyreg.tui.widgets.fact_list import FactOptions
from tests.tui.conftest import settle


def quick_rates(self, concept, params, **kwargs) -> dict[int, ClaimRate]:
    """Rates without the 50-seed measurement: the second check of each concept is weak,
    so its detail carries the longest rate sentence."""
    checked = [n for n, fact in enumerate(concept.facts) if fact.check]
    return {n: ClaimRate(50 if i != 1 else 12, 50) for i, n in enumerate(checked)}


async def test_every_fact_mark_of_the_bundled_pack_is_visible_at_80x24(
    make_app, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(ClaimCache, "measure", quick_rates)
    pack = load_pack(bundled_pack_path())
    assert max(len(concept.facts) for concept in pack.concepts) >= 7
    app = make_app(pack_paths=[bundled_pack_path()])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for concept in pack.concepts:
            screen = ConceptScreen(pack, concept)
            app.push_screen(screen)
            await settle(app, pilot)
            await pilot.press("f")
            await settle(app, pilot)
            assert screen.active_tab == "facts"
            options = screen.query_one("#fact-options", FactOptions)
            assert app.focused is options, concept.id
            assert options.option_count == len(concept.facts)
            assert options.scroll_y == 0 and options.max_scroll_y == 0, concept.id
            body = screen.query_one("#concept-facts")
            assert body.scroll_y == 0
            # every option (one line each) lies within the part of the tab on screen
            assert options.region.height == len(concept.facts), concept.id
            assert options.region.y >= body.region.y, concept.id
            assert options.region.bottom <= body.region.bottom, concept.id
            for n, fact in enumerate(concept.facts):
                shown = options.render_line(n).text.rstrip()  # the line as painted
                assert len(shown) <= options.region.width
                if fact.check:
                    assert shown[0] in "✓✗", (concept.id, shown)
                    assert "/50" in shown, (concept.id, shown)
                else:
                    assert shown[0] == "·", (concept.id, shown)
                start = " ".join(fact.text.split())[:20]
                assert start in shown, (concept.id, shown)
                if len(fact.text) > options.region.width:
                    assert shown.endswith("…"), (concept.id, shown)
            # the highlighted fact in full below the list: its text and its rate sentence
            detail = str(screen.query_one("#fact-detail").render())
            assert " ".join(concept.facts[0].text.split())[:30] in " ".join(detail.split())
            app.pop_screen()
            await settle(app, pilot)
