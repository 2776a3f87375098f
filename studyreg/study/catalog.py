"""The packs a study session draws from, with the problems that kept any from loading."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from studyreg.content import Concept, Pack, PackError, Problem, resolve_pack_paths
from studyreg.errors import NotFoundError


@dataclass
class Catalog:
    """Loaded packs, in order; a broken pack adds its problems and is skipped."""

    packs: list[Pack] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def load(cls, paths: Sequence[str | Path] | None = None) -> Catalog:
        """Load ``paths`` (``None``: the bundled pack plus ``$STUDYREG_PACKS``)."""
        resolved = resolve_pack_paths([str(p) for p in paths] if paths else None)
        catalog = cls()
        seen: set[str] = set()
        for path in resolved:
            try:
                from studyreg.study.packs import load_pack

                pack = load_pack(path)
            except PackError as error:
                catalog.problems.extend(error.problems)
                continue
            if pack.id in seen:
                catalog.problems.append(
                    Problem(
                        str(path),
                        1,
                        1,
                        "id",
                        f"a pack with id {pack.id!r} is already loaded; skipped",
                    )
                )
                continue
            seen.add(pack.id)
            catalog.packs.append(pack)
        return catalog

    def concepts(self) -> list[tuple[Pack, Concept]]:
        return [(pack, concept) for pack in self.packs for concept in pack.concepts]

    def pack(self, pack_id: str) -> Pack:
        for pack in self.packs:
            if pack.id == pack_id:
                return pack
        known = ", ".join(pack.id for pack in self.packs)
        raise NotFoundError(f"no pack {pack_id!r}; loaded: {known}")

    def concept(self, pack_id: str, concept_id: str) -> Concept:
        pack = self.pack(pack_id)
        try:
            return pack.concept(concept_id)
        except KeyError:
            known = ", ".join(c.id for c in pack.concepts)
            raise NotFoundError(
                f"no concept {concept_id!r} in pack {pack_id!r}; known: {known}"
            ) from None

    def find_concept(self, concept_id: str) -> tuple[Pack, Concept]:
        """The concept with this id in the first pack that has it (``pack/concept`` also works)."""
        if "/" in concept_id:
            pack_id, _, bare = concept_id.partition("/")
            return self.pack(pack_id), self.concept(pack_id, bare)
        for pack, concept in self.concepts():
            if concept.id == concept_id:
                return pack, concept
        known = ", ".join(c.id for _, c in self.concepts())
        raise NotFoundError(f"no concept {concept_id!r}; known: {known}")
