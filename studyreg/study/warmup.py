"""Import ahead what studying a catalog will need, so the first concept, quiz or exam
does not pay for NumPy, the experiments and the session machinery.

The app calls :func:`warm_up` in a background thread once Home shows the real catalog.
It only imports: no experiment runs, and a pack's own code is left alone (its worker
process starts when a concept that needs it opens).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studyreg.study.catalog import Catalog


def warm_up(catalog: Catalog) -> None:
    """Import NumPy, the study modules and every built-in or plugin experiment the
    catalog names. Never raises: a name that does not resolve is the concept's
    business when it opens."""
    import numpy  # noqa: F401

    from studyreg.sandbox import pack_experiment_files
    from studyreg.study import claim_cache, facts, lab, session, store, values  # noqa: F401

    for _pack, concept in catalog.concepts():
        ref = concept.experiment
        if ref is None or (ref.scope and ref.name in pack_experiment_files(ref.scope)):
            continue
        try:
            lab.spec(ref.name, ref.scope)  # imports the experiment's module
        except Exception:  # noqa: S112 - reported when the concept opens
            continue
