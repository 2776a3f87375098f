"""Home: packs and their concepts with progress, load problems, and where to go next."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static, Tree

from studyreg.tui.screens.shown_as_built import ShownAsBuilt
from studyreg.tui.typed import study_app
from studyreg.tui.widgets.footer import Footer
from studyreg.tui.widgets.header import Header
from studyreg.tui.widgets.scroll_body import ScrollBody

if TYPE_CHECKING:
    from textual.timer import Timer

    from studyreg.content.models import Concept, ExperimentRef, Pack
    from studyreg.study.catalog import Catalog
    from studyreg.study.store import ProgressStore


# Seconds a concept stays highlighted before its experiment is run into the cache: the
# concept the learner stops on opens complete in one pass, and scrolling past runs nothing.
WARM_AFTER_S = 0.3


class ConceptNode(NamedTuple):  # not a dataclass: cheaper to create at start-up
    pack: Pack
    concept: Concept

    @property
    def ref(self) -> str:
        return f"{self.pack.id}/{self.concept.id}"


def progress_label(concept: Concept, progress: tuple[int, float] | None, due: int) -> Text:
    """``Title   12× 75%  3 due`` (just the title before any attempt)."""
    label = Text(concept.title)
    if progress and progress[0]:
        attempts, accuracy = progress
        label.append(f"  {attempts}× {accuracy:.0%}", style="dim" if accuracy >= 0.8 else "bold")
    if due:
        label.append(f"  {due} due", style="italic")
    return label


def concept_progress(
    store: ProgressStore | None, pack: Pack
) -> tuple[dict[str, tuple[int, float]], dict[str, int]]:
    """Attempts/accuracy and due counts per concept id; empty without a store."""
    if store is None:
        return {}, {}
    accuracy = dict(store.concept_accuracy(pack.id))
    due: dict[str, int] = {}
    due_keys = getattr(store, "due", None)
    if due_keys is not None:
        for concept in pack.concepts:
            keys = [f"{pack.id}/{concept.id}/{q.id}" for q in concept.questions]
            if keys:
                # new_limit=0: only cards really due, not questions never seen
                due[concept.id] = len(due_keys(keys, limit=len(keys), new_limit=0))
    return accuracy, due


# (label, action, key): what Home's action line offers, each a link to its action
_ACTIONS = (
    ("Open", "screen.open_concept", "enter"),
    ("Learn", "screen.learn", "l"),
    ("Quiz", "app.start_quiz", "q"),
    ("Exam", "app.start_exam", "x"),
    ("Review", "app.start_review", "v"),
    ("Stats", "app.open_stats", "s"),
)
ACTIONS = Content.from_markup(
    "  ".join(
        f"[@click={action}][reverse] {label} [/reverse][/] [dim]{key}[/dim]"
        for label, action, key in _ACTIONS
    )
)


class HomeScreen(ShownAsBuilt, Screen[None]):
    """The first screen: shows at once ("Loading packs…"; no animated indicator, which
    costs start-up time), fills in when the packs have loaded."""

    AUTO_FOCUS = "#concepts"  # focused before the first frame (focus() waits a frame)
    BINDINGS = [
        Binding("enter", "open_concept", "Open", id="home.open", show=False),
        Binding("l", "learn", "Learn", id="home.learn"),
        Binding("q", "app.start_quiz", "Quiz", id="home.quiz"),
        Binding("x", "app.start_exam", "Exam", id="home.exam"),
        Binding("v", "app.start_review", "Review", id="home.review"),
        Binding("s", "app.open_stats", "Stats", id="home.stats"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="problems", classes="hidden"):
            yield Static(id="problems-text")
        with Horizontal(id="home-body"):
            with Vertical(id="home-left"):
                # a Text label: a str would be parsed as markup, importing rich's emoji table
                tree: Tree[Any] = Tree(Text("Packs"), id="concepts")
                tree.show_root = False
                tree.guide_depth = 2
                yield tree
            with ScrollBody(id="home-detail"):
                yield Static("Loading packs…", id="detail-title")
                yield Static(id="detail-body")
        # One line of clickable actions, not six Buttons: it draws in a fraction of
        # the time (start-up is measured), and the Footer names the same keys.
        yield Static(ACTIONS, id="home-actions")
        yield Footer()

    def on_mount(self) -> None:
        app = self.app
        catalog = getattr(app, "catalog", None)
        if catalog is not None:  # loaded before this screen was ready
            self.show_catalog(catalog, getattr(app, "store", None))
        elif hasattr(app, "show_preview"):
            app.show_preview(self)

    # --- filled in by the app ---------------------------------------------------

    def show_catalog(self, catalog: Catalog, store: ProgressStore | None) -> None:
        locked_reason = study_app(self).locked_reason
        tree = self.query_one("#concepts", Tree)
        tree.clear()
        for pack in catalog.packs:
            accuracy, due = self._progress(store, pack)
            course = f" — {pack.course}" if pack.course else ""
            pack_node = tree.root.add(
                Text.assemble((pack.title, "bold"), course), data=pack, expand=True
            )
            for concept in pack.concepts:
                label = progress_label(concept, accuracy.get(concept.id), due.get(concept.id, 0))
                if locked_reason(concept.experiment):
                    label.append("  🔒 locked", style="yellow")
                pack_node.add_leaf(label, data=ConceptNode(pack, concept))
        self._show_problems(catalog)
        if catalog.packs:
            tree.focus()
            first = (
                next((n for n in tree.root.children[0].children), None)
                if tree.root.children
                else None
            )
            if first is not None:
                # now, not after a refresh: the first frame has the cursor (the first
                # pack's first concept is line 1; the root is hidden)
                tree.move_cursor_to_line(1)
                self._describe(first.data)
                self._warm_later(first.data)
        else:
            self.query_one("#detail-title", Static).update("No pack could be loaded")
            self.query_one("#detail-body", Static).update(
                "Fix the problems listed above, or start with --pack PATH."
            )

    def show_load_error(self, message: str) -> None:
        self.query_one("#detail-title", Static).update("Packs could not be loaded")
        self.query_one("#detail-body", Static).update(message)

    def _progress(
        self, store: ProgressStore | None, pack: Pack
    ) -> tuple[dict[str, tuple[int, float]], dict[str, int]]:
        try:
            return concept_progress(store, pack)
        except Exception as error:  # a broken store must not hide the packs
            self.notify(f"progress unavailable: {error}", severity="warning")
            return {}, {}

    def _show_problems(self, catalog: Catalog) -> None:
        panel = self.query_one("#problems")
        if not catalog.problems:
            panel.add_class("hidden")
            return
        lines = Text(
            f"{len(catalog.problems)} problem(s) kept a pack from loading:\n", style="bold"
        )
        lines.append("\n".join(problem.format() for problem in catalog.problems), style="")
        self.query_one("#problems-text", Static).update(lines)
        panel.remove_class("hidden")

    @on(events.ScreenResume)
    def _refresh_progress(self) -> None:
        """Back from a quiz: refresh the progress labels."""
        app = self.app
        catalog, store = getattr(app, "catalog", None), getattr(app, "store", None)
        if catalog is None or store is None:
            return
        tree = self.query_one("#concepts", Tree)
        for pack_node in tree.root.children:
            pack = pack_node.data
            if pack is None:
                continue
            accuracy, due = self._progress(store, pack)
            for node in pack_node.children:
                if not isinstance(node.data, ConceptNode):
                    continue
                concept = node.data.concept
                node.set_label(
                    progress_label(concept, accuracy.get(concept.id), due.get(concept.id, 0))
                )

    # --- selection ----------------------------------------------------------------

    def selected(self) -> ConceptNode | None:
        tree = self.query_one("#concepts", Tree)
        node = tree.cursor_node
        if node is None:
            return None
        if isinstance(node.data, ConceptNode):
            return node.data
        if node.children and isinstance(node.children[0].data, ConceptNode):
            return node.children[0].data
        return None

    @on(Tree.NodeHighlighted, "#concepts")
    def _highlighted(self, event: Tree.NodeHighlighted[Any]) -> None:
        self._describe(event.node.data)
        self._warm_later(event.node.data)

    _warm_timer: Timer | None = None

    def _warm_later(self, data: Any) -> None:
        if self._warm_timer is not None:
            self._warm_timer.stop()
            self._warm_timer = None
        ref = data.concept.experiment if isinstance(data, ConceptNode) else None
        if ref is not None and getattr(self.app, "catalog", None) is not None:
            self._warm_timer = self.set_timer(WARM_AFTER_S, lambda: self._warm(ref))

    @work(thread=True, exclusive=True, exit_on_error=False, group="prefetch")
    def _warm(self, ref: ExperimentRef) -> None:
        """Run the highlighted concept's experiment into the cache (built-ins only: a
        pack's own code starts its worker process only when its concept opens)."""
        from studyreg.study import lab

        lab.warm(ref.name, dict(ref.params), ref.seed, scope=ref.scope, pack_code=False)

    @on(Tree.NodeSelected, "#concepts")
    def _selected(self, event: Tree.NodeSelected[Any]) -> None:
        if isinstance(event.node.data, ConceptNode):
            self.open_concept(event.node.data)

    def _describe(self, data: Any) -> None:
        locked_reason = study_app(self).locked_reason
        title = self.query_one("#detail-title", Static)
        body = self.query_one("#detail-body", Static)
        if isinstance(data, ConceptNode):
            concept = data.concept
            title.update(Text(concept.title, style="bold"))
            text = Text(concept.summary or concept.definition)
            extra = [f"{len(concept.facts)} facts", f"{len(concept.questions)} questions"]
            if concept.experiment is not None:
                extra.append(f"experiment {concept.experiment.name}")
            text.append("\n\n" + " · ".join(extra), style="dim")
            reason = locked_reason(concept.experiment)
            if reason:
                text.append(
                    f"\n\n🔒 Its experiment and computed questions are locked: {reason}",
                    style="yellow",
                )
            body.update(text)
        elif data is not None:
            pack = data
            title.update(Text(pack.title, style="bold"))
            lines = [
                pack.description or "",
                f"{len(pack.concepts)} concepts, {pack.question_count} questions",
            ]
            lines.append(
                f"version {pack.version}"
                + (f" · {', '.join(pack.authors)}" if pack.authors else "")
            )
            body.update("\n".join(line for line in lines if line))

    def open_concept(self, node: ConceptNode) -> None:
        from studyreg.tui.screens.concept import ConceptScreen

        if getattr(self.app, "catalog", None) is None:  # the tree is still the cache's preview
            self.notify("Still loading the packs…")
            return

        self.app.push_screen(ConceptScreen(node.pack, node.concept))

    def action_open_concept(self) -> None:
        node = self.selected()
        if node is not None:
            self.open_concept(node)

    def action_learn(self) -> None:
        node = self.selected()
        if node is None:
            self.notify("Pick a concept first.", severity="warning")
            return
        study_app(self).start_session("learn", [node.ref])
