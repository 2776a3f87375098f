"""Time to draw, grade and describe one variant of every non-live question kind.

Run: python benchmarks/bench_items.py [--rounds N]
Uses tests/data/every_kind.yaml's fixed questions (live ones run an experiment and are
measured by bench_experiments.py). Prints microseconds per item, the median of N rounds,
for building, grading the right answer typed back, and the answer/response texts.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from studyreg.study.items import build_item
from studyreg.study.packs import load_pack

PACK = Path(__file__).parents[1] / "tests" / "data" / "every_kind.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=2000, help="items built per kind per round")
    args = parser.parse_args()
    pack = load_pack(PACK)
    concept = pack.concepts[0]
    questions = [q for q in concept.questions if not q.live and q.type != "free_response"]
    rng = random.Random(0)
    timings: dict[str, list[float]] = {"build": [], "grade": [], "texts": []}
    for _ in range(args.rounds):
        start = time.perf_counter()
        items = [build_item(pack, concept, q, rng) for _ in range(args.repeat) for q in questions]
        built = time.perf_counter()
        responses = [item.parse_response(item.answer_value()) for item in items]
        verdicts = [item.grade(r) for item, r in zip(items, responses, strict=True)]
        graded = time.perf_counter()
        for item, response in zip(items, responses, strict=True):
            item.answer_text()
            item.response_text(response)
        texts = time.perf_counter()
        assert all(v.correct for v in verdicts)
        n = len(items)
        timings["build"].append((built - start) / n * 1e6)
        timings["grade"].append((graded - built) / n * 1e6)
        timings["texts"].append((texts - graded) / n * 1e6)
    kinds = ", ".join(q.type for q in questions)
    print(f"{len(questions)} kinds ({kinds}), {args.repeat} items each, {args.rounds} rounds")
    for step, values in timings.items():
        print(f"{step:>6}: {statistics.median(values):7.2f} µs per item (median)")


if __name__ == "__main__":
    main()
