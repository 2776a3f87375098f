"""Time to load and validate a large pack: 10,000 questions across 200 concept files.

Run: python benchmarks/bench_load.py [--rounds N]
Prints the median of N rounds (target: under 1 s on a 2-core machine).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from studyreg.study.packs import load_pack

QUESTION_KINDS = [
    """  - id: q{n}
    type: numeric
    prompt: What is {n} divided by 4?
    answer: {value}
    tolerance: {{rtol: 0.001}}
    explanation: Divide by four.
""",
    """  - id: q{n}
    type: single_choice
    prompt: Which penalty zeroes weights (variant {n})?
    choices:
      - {{text: L1, correct: true}}
      - {{text: L2, feedback: L2 shrinks smoothly.}}
      - {{text: Neither}}
""",
    """  - id: q{n}
    type: true_false
    prompt: Statement number {n} is true.
    answer: true
""",
    """  - id: q{n}
    type: free_response
    prompt: Explain idea {n}.
    model_answer: Idea {n} is explained like this, in a few sentences.
    key_points: [first point, second point, third point]
""",
    """  - id: q{n}
    type: matching
    prompt: Match the pairs for {n}.
    pairs:
      - {{left: L1, right: absolute value}}
      - {{left: L2, right: square}}
""",
]


def write_pack(root: Path, concepts: int = 200, per_concept: int = 50) -> None:
    (root / "pack.yaml").write_text("id: big\ntitle: Big pack\nversion: 1\n", encoding="utf-8")
    for c in range(concepts):
        lines = [
            f"id: concept-{c:03d}",
            f"title: Concept {c}",
            "definition: A concept generated for the load benchmark.",
            "facts:",
            "  - text: A fact.",
            "questions:",
        ]
        body = "\n".join(lines) + "\n"
        for n in range(per_concept):
            body += QUESTION_KINDS[n % len(QUESTION_KINDS)].format(n=n, value=n / 4)
        (root / f"concept-{c:03d}.yaml").write_text(body, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_pack(root)
        size = sum(p.stat().st_size for p in root.iterdir())
        times = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            pack = load_pack(root)
            times.append(time.perf_counter() - started)
        print(
            f"pack: {len(pack.concepts)} concepts, {pack.question_count} questions, {size / 1e6:.1f} MB"
        )
        print(
            f"load+validate median: {statistics.median(times):.3f} s over {args.rounds} rounds "
            f"(min {min(times):.3f} s, max {max(times):.3f} s); target < 1 s"
        )


if __name__ == "__main__":
    main()
