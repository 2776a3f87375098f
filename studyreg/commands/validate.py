"""``studyreg validate``: check packs and list every problem with its location."""

from __future__ import annotations

import argparse
import json
from typing import Any


def register(subparsers: argparse._SubParsersAction) -> None:
    from studyreg.commands._common import add_common_options

    parser = subparsers.add_parser(
        "validate",
        help="check packs; exit 0 when valid, 1 listing every problem",
        description="Validate packs (default: the bundled pack and $STUDYREG_PACKS). "
        "Every problem is printed as FILE:LINE:COL: field.path: message.",
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="pack folders or single-file packs"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="also measure every fact check and computed answer over many seeds "
        "(see the pack's verify setting)",
    )
    parser.add_argument(
        "--seeds",
        type=int,
        metavar="N",
        help="with --strict: seeds per check and parameter set (default: the pack's "
        "verify.seeds, 50)",
    )
    add_common_options(parser)  # `--pack P` before or after the command names a pack to check
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from studyreg.content import PackError, resolve_pack_paths
    from studyreg.study.packs import load_checked, trust_problems

    paths = resolve_pack_paths([*args.paths, *(getattr(args, "packs", None) or [])] or None)
    packs: list[dict[str, Any]] = []
    problems = []
    loaded_packs = []
    for path in paths:
        try:
            loaded = load_checked(path)
        except PackError as error:
            problems.extend(error.problems)
            continue
        untrusted = trust_problems(loaded)
        problems.extend(untrusted)
        pack = loaded.pack
        packs.append(
            {
                "id": pack.id,
                "title": pack.title,
                "path": str(path),
                "concepts": len(pack.concepts),
                "questions": pack.question_count,
                "untrusted_code": bool(untrusted),
            }
        )
        if not untrusted:  # strict checks run the pack's code: only once it is trusted
            loaded_packs.append((loaded, packs[-1]))
    report_lines: list[str] = []
    if args.strict and loaded_packs:
        from studyreg.study.strict import strict_check

        for loaded, entry in loaded_packs:
            progress = _Progress(loaded.pack.id)
            result = strict_check(loaded, seeds=args.seeds, progress=progress)
            progress.close()
            problems.extend(result.problems)
            report_lines.extend(result.report)
            entry["strict_errors"] = sum(p.severity == "error" for p in result.problems)
            entry["verification"] = result.verification
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    if args.json:
        print(
            json.dumps(
                {
                    "packs": packs,
                    "errors": [p.to_dict() | {"text": p.format()} for p in errors],
                    "warnings": [p.to_dict() | {"text": p.format()} for p in warnings],
                },
                indent=2,
            )
        )
    else:
        for problem in problems:
            print(problem.format())
        for line in report_lines:
            print(line)
        for entry in packs:
            verdict = (
                "NOT TRUSTED (its code was not run)"
                if entry["untrusted_code"]
                else "FAILED strict checks"
                if entry.get("strict_errors")
                else "ok"
            )
            print(
                f"{verdict}: {entry['id']} ({entry['path']}): {entry['concepts']} concepts, {entry['questions']} questions"
            )
        n_concepts = sum(p["concepts"] for p in packs)
        n_questions = sum(p["questions"] for p in packs)
        print(
            f"{sum(not p.get('strict_errors') and not p['untrusted_code'] for p in packs)} of {len(paths)} pack{'s' * (len(paths) != 1)} valid, "
            f"{n_concepts} concepts, "
            f"{n_questions} questions, {len(errors)} error{'s' * (len(errors) != 1)}"
            + (f", {len(warnings)} warnings" if warnings else "")
        )
    return 1 if errors else 0


class _Progress:
    """Progress of a long verification on stderr (stdout stays clean for --json): a
    line redrawn in place on a terminal, else one line every ``EVERY_S`` seconds."""

    EVERY_S = 15.0

    def __init__(self, pack_id: str) -> None:
        import sys
        import time

        self.pack_id, self.stream, self.clock = pack_id, sys.stderr, time.monotonic
        self.tty = self.stream.isatty()
        self.started = self.last = self.clock()
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if now - self.last < (0.2 if self.tty else self.EVERY_S) and done < total:
            return
        if not self.tty and now - self.started < self.EVERY_S:
            return
        self.last = now
        text = f"verifying {self.pack_id}: {done}/{total} runs ({now - self.started:.0f} s)"
        self.stream.write(f"\r{text}\x1b[K" if self.tty else text + "\n")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.tty and self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
