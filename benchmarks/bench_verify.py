"""Wall time of verifying the bundled pack (what ``validate --strict`` spends on claims).

Run: python benchmarks/bench_verify.py [--seeds N] [--workers W] [--no-serial]

Prints, per concept, the parameter combinations and runs the engine needs and the
seconds those runs took; then the wall time with a process pool of W workers
(default: every core) and, unless ``--no-serial``, with no pool at all, each with the
CPU time it used (this process and the pool's workers): on a busy machine the wall
time says little, CPU / workers is the wall time on idle cores. Target: under 60 s for
50 seeds on 2 cores. Ends with the checks that fail the pack's bar and the flagged
computed questions.
"""

from __future__ import annotations

import argparse
import os
import resource
import time

from studyreg.content import bundled_pack_path
from studyreg.study.packs import load_pack
from studyreg.study.verify import VerifyReport, verify_pack

TARGET_S = 60.0


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the pool's workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(pack, seeds: int, workers: int) -> tuple[VerifyReport, float, float]:
    """The report, its wall time and the CPU time it took (the latter does not depend
    on what else the machine runs, so ``cpu / workers`` is the wall time on idle cores)."""
    cpu, started = cpu_seconds(), time.perf_counter()
    report = verify_pack(pack, seeds=seeds, workers=workers)
    return report, time.perf_counter() - started, cpu_seconds() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-serial", action="store_true", help="skip the run without a pool")
    args = parser.parse_args()
    pack = load_pack(bundled_pack_path())

    report, parallel_s, parallel_cpu = timed(pack, args.seeds, args.workers)
    print(f"bundled pack {pack.id!r}, {args.seeds} seeds, cpu_count={os.cpu_count()}")
    print(f"  {'concept':<16} {'experiment':<15} {'combos':>6} {'runs':>6} {'run-seconds':>12}")
    for entry in report.concepts:
        print(
            f"  {entry.concept_id:<16} {entry.experiment:<15} {len(entry.combinations):>6} "
            f"{entry.runs:>6} {sum(entry.run_times):>12.1f}"
        )
    total_runs = sum(entry.runs for entry in report.concepts)
    verdict = "ok" if parallel_s < TARGET_S else "SLOW"
    print(
        f"parallel ({report.workers} pool processes): {parallel_s:.1f} s wall, "
        f"{parallel_cpu:.1f} s CPU for {total_runs} runs (target < {TARGET_S:.0f} s) {verdict}"
    )
    if not args.no_serial:
        _, serial_s, serial_cpu = timed(pack, args.seeds, 1)
        print(
            f"serial (no pool): {serial_s:.1f} s wall, {serial_cpu:.1f} s CPU; "
            f"speed-up {serial_s / parallel_s:.2f}x"
        )
    print(f"load average now: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    failing = report.failing
    print(f"checks below min_rate {report.min_rate:g}: {len(failing)} of {len(report.checks)}")
    for check in failing:
        print(f"  {check.concept_id}: {check.fact.check}: {check.summary(report.min_rate)}")
    for entry in report.concepts:
        for question in entry.questions:
            flags = [
                name
                for name, on in (
                    ("sign changes", question.sign_changes),
                    ("non-finite", question.non_finite),
                    ("near a rounding boundary", question.near_boundary),
                )
                if on
            ]
            if flags:
                print(f"  question {entry.concept_id}/{question.question.id}: {', '.join(flags)}")


if __name__ == "__main__":
    main()
