"""The one entry point: ``studyreg`` and its subcommands.

Each subcommand lives in ``studyreg.commands.<name>`` and exposes
``register(subparsers)``, which adds its parser and sets ``handler`` to a
function ``run(args) -> int``. Heavy imports happen inside ``run`` so that
``studyreg --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from studyreg import __version__
from studyreg.commands._common import add_common_options
from studyreg.errors import StudyregError

COMMAND_MODULES = (
    "validate",
    "schema",
    "experiment",
    "quiz",
    "review",
    "stats",
    "export",
    "paths",
    "new",
    "import_gift",
    "export_anki",
    "export_pack",
    "serve",
    "trust",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studyreg",
        description="A self-grading study and quiz tool backed by live NumPy experiments. "
        "Without a subcommand, opens the study app on the bundled pack.",
    )
    parser.add_argument("--version", action="version", version=f"studyreg {__version__}")
    add_common_options(parser, top_level=True)
    parser.add_argument(
        "--theme", metavar="NAME", default=None, help="a Textual theme, e.g. textual-light"
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMAND_MODULES:  # a missing command module is a broken install: let it show
        importlib.import_module(f"studyreg.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # The experiments multiply small matrices, where BLAS threads only add overhead and
    # fight the UI for the cores (2-5x slower measured); set before NumPy loads.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "data_dir", None):
        # Trust in pack code is kept beside the progress it belongs to.
        from studyreg.study.trust import TrustStore, use_trust_store

        use_trust_store(TrustStore(args.data_dir))
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            from studyreg.commands.app import run_app

            return run_app(args)
        return int(handler(args) or 0)
    except StudyregError as error:  # one a command did not catch: still one clear line
        from studyreg.commands.errors import fail

        return fail(str(error), 1)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
