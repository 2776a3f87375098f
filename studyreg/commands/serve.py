"""``studyreg serve``: the same app in a web browser, through textual-serve."""

from __future__ import annotations

import argparse
import shlex
import sys

LOOPBACK = "127.0.0.1"


def register(subparsers: argparse._SubParsersAction) -> None:
    from studyreg.commands._common import add_common_options

    parser = subparsers.add_parser(
        "serve",
        help="serve the study app to a web browser (loopback by default)",
        description="Serve the app with textual-serve. Each browser tab runs its own app. "
        "Binds to 127.0.0.1 unless --host says otherwise: anyone who can reach the port can "
        "use the app and its progress store.",
    )
    add_common_options(parser)
    parser.add_argument("--host", default=LOOPBACK, help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.set_defaults(handler=run)


def app_command(args: argparse.Namespace) -> str:
    """The command each browser session runs: this interpreter, same packs and data dir."""
    parts = [sys.executable, "-m", "studyreg"]
    for pack in getattr(args, "packs", None) or []:
        parts += ["--pack", pack]
    if getattr(args, "data_dir", None):
        parts += ["--data-dir", args.data_dir]
    return shlex.join(parts)


def run(args: argparse.Namespace) -> int:
    from studyreg.commands.errors import fail

    if not 0 < args.port < 65536:
        return fail(f"--port {args.port} is not a port number (1–65535)")
    from textual_serve.server import Server

    if args.host not in (LOOPBACK, "localhost", "::1"):
        print(
            f"studyreg: warning: serving on {args.host}: other machines can reach it",
            file=sys.stderr,
        )
    server = Server(app_command(args), host=args.host, port=args.port, title="studyreg")
    try:
        server.serve()
    except OSError as error:
        return fail(f"cannot serve on {args.host}:{args.port}: {error.strerror or error}", 1)
    return 0
