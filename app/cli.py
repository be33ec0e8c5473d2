"""The ``iris`` command. Subcommands live in ``app/commands``; this module stays import-light.

Each subcommand module exposes ``add_parser(subparsers)`` and a ``run(args)``
function returning the exit code. Errors print one line, ``iris: error: ...``,
and exit non-zero (2 for usage, 1 for everything else). An unexpected error (a
bug) prints one line naming the command and the log holding its traceback, and
exits 70; an interrupt exits 130. Every printed error is redacted of API keys.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence

from core.errors import IrisError
from core.redact import redact
from core.version import __version__

EXIT_UNEXPECTED = 70  # EX_SOFTWARE: an internal error
EXIT_INTERRUPTED = 130

# Each subcommand's module, in the order ``iris --help`` lists them. ``iris CMD`` imports only
# CMD's module (building every parser costs about 0.1 s of the window's start); a test checks
# that each module registers exactly the names listed for it.
COMMANDS: dict[str, str] = {
    "gui": "app.commands.gui",
    "new": "app.commands.project",
    "import": "app.commands.project",
    "info": "app.commands.project",
    "tag": "app.commands.tag",
    "restore": "app.commands.restore",
    "methods": "app.commands.restore",
    "import-method": "app.commands.restore",
    "iterate": "app.commands.iterate",
    "runs": "app.commands.runs",
    "compare": "app.commands.compare",
    "degrade": "app.commands.degrade",
    "depth": "app.commands.depth",
    "normals": "app.commands.depth",
    "evaluate": "app.commands.evaluate",
    "segment": "app.commands.segment",
    "annotations": "app.commands.annotations",
    "ratings": "app.commands.ratings",
    "score": "app.commands.score",
    "gaps": "app.commands.gaps",
    "stats": "app.commands.stats",
    "table": "app.commands.table",
    "judge": "app.commands.judge",
    "results": "app.commands.results",
    "export": "app.commands.export",
}
COMMAND_MODULES = list(dict.fromkeys(COMMANDS.values()))


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports usage errors in one line instead of usage plus message."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"{self.prog.split()[0]}: error: {message} (see '{self.prog} --help')\n")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``iris`` parser: with ``command`` (a name of :data:`COMMANDS`) only its module's
    subcommands, else all of them (``iris --help``, a mistyped command)."""
    parser = OneLineParser(
        prog="iris", description="IRIS, the Image Restoration Inspection Studio."
    )
    parser.add_argument("--version", action="version", version=f"IRIS {__version__}")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the window, restore and score a sample image offline, exit 0 if all worked",
    )
    parser.add_argument(
        "--smoke-screenshot", metavar="PNG", help="where the smoke test saves its screenshot"
    )
    subparsers = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=OneLineParser
    )
    modules = [COMMANDS[command]] if command in COMMANDS else COMMAND_MODULES
    for module_name in modules:
        importlib.import_module(module_name).add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``iris`` console script; without a command it opens the GUI."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    command = "iris"
    try:
        first = args_list[0] if args_list else "gui"  # no command opens the window
        parser = build_parser(first if first in COMMANDS else None)
        args = parser.parse_args(args_list)
        command = f"iris {args.command}" if args.command else "iris"
        if args.smoke_test:
            from app.smoke import run_smoke_test

            return run_smoke_test(args.smoke_screenshot)
        if args.command is None:
            command = "iris gui"
            args = parser.parse_args([*args_list, "gui"])
        return int(args.run(args) or 0)
    except IrisError as exc:
        print(f"iris: error: {redact(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (``iris ... | head``): nothing to report
        with contextlib.suppress(Exception):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:  # a bug: one line for the user, the traceback in the log
        from core.crashlog import crash_message, record_crash

        print(f"{command}: {crash_message(exc, record_crash(exc, command))}", file=sys.stderr)
        return EXIT_UNEXPECTED


def main_gui() -> int:
    """Entry point of the ``iris-gui`` launcher (no console on Windows)."""
    return main(["gui"])
