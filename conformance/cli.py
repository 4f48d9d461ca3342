"""The ``lifecycle-conformance`` command.

    lifecycle-conformance run --adapter flask --results results/flask.json
    lifecycle-conformance report results/*.json -o my-report.md [--html my-report.html]
    lifecycle-conformance report results/ -o REPORT.md --data-dir report-data/
    lifecycle-conformance compare old.json new.json [--format markdown] [--markdown FILE]
    lifecycle-conformance migrate --from flask --to quart results/ [-o FILE]
    lifecycle-conformance clauses [--untested]
    lifecycle-conformance spec [-o FILE | --check FILE]
    lifecycle-conformance adapters

Exit codes: 0 all well; 1 a clause failed or errored (or, for compare, a
clause of the same framework got worse; or a file differs, for spec --check);
2 bad input, printed as one line.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path
from typing import NoReturn

import pytest

from ._errors import ConformanceError, UsageError, one_line
from ._loading import framework_version, known_adapters, load_adapter
from ._options import add_run_options, check_run_options, run_option_args
from ._output import check_writable, write_text
from ._selection import SUITE, clause_of, is_conformance_test
from ._spec import registry, render_markdown
from .reporting import Results, compare, migration_guide, render, render_html
from .reporting._escape import plain
from .reporting._reduce import check_data_dir, write_data_dir

PROG = "lifecycle-conformance"
SUITE_INI = SUITE / "pytest.ini"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
RUN_EPILOG = """\
--clause repeats: '--clause hooks.* --clause errors.*' runs the clauses that
match either pattern.

exit codes:
  0    every clause passed, failed as declared, or is not applicable
  1    a clause failed, errored, or passed unexpectedly (its declared
       divergence did not occur)
  2    bad input (an unknown adapter or clause, a broken expectations file,
       an output file that cannot be written...), said in one line
  130  a second Ctrl-C stopped the run at once
Under pytest ('pytest --pyargs conformance --adapter NAME'), bad input is
pytest's usage error, exit code 4.
"""
MIGRATE_EPILOG = """\
Each framework is taken at its newest release in RESULTS (or the one
--from-release or --to-release names), and of its runs the complete one,
in process, by the adapter named after it, on the other's Python where it
can be.  Each rule whose outcome differs is listed with its clause, each
side's outcome and evidence, and the releases of each framework in RESULTS
in which that side's outcome is the same.

example:
  lifecycle-conformance migrate --from flask --to quart results/ -o MOVING.md

exit codes:
  0    the guide was written
  2    bad input (no results files, a framework with no run in them, the
       same framework twice, a release they have no run of...), said in one
       line
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.command(args)
    except ConformanceError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    return code


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad command line is one line (exit 2), not the usage
    text and then the error."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Request-lifecycle conformance suite.")
    parser.add_argument(
        "--version", action="version", version=f"{PROG} {version('lifecycle-conformance')}"
    )
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    run = sub.add_parser(
        "run",
        help="run the suite against one adapter",
        epilog=RUN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_run_options(run.add_argument, adapter_required=True)  # the plugin's options too
    run.add_argument(
        "-v", "--verbose", action="count", default=0, help="list every test, with its clause ID"
    )
    run.set_defaults(command=cmd_run)

    report = sub.add_parser("report", help="merge results files into a Markdown report")
    report.add_argument(
        "results", nargs="+", type=Path, metavar="RESULTS", help="files, or folders of *.json"
    )
    report.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: stdout")
    report.add_argument(
        "--html", type=Path, metavar="FILE", help="also write the report as one HTML page"
    )
    report.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="also write each run's reduced results file (what the report is made of) to DIR,"
        " and render the report from those (the HTML page from the files given)",
    )
    report.set_defaults(command=cmd_report)

    compare = sub.add_parser(
        "compare",
        help="regressions and fixes between two results files (differences, for two frameworks)",
        description="Two runs of the same framework: a clause that got worse is a regression"
        " (exit 1).  Runs of different frameworks: their differences are listed (exit 0).",
    )
    compare.add_argument("old", type=Path)
    compare.add_argument("new", type=Path)
    compare.add_argument(
        "--format",
        choices=("text", "markdown"),
        default="text",
        help="what stdout gets: one line per change (text, the default) or a short"
        " summary for a pull-request comment (markdown)",
    )
    compare.add_argument(
        "--markdown",
        type=Path,
        metavar="FILE",
        help="also write the pull-request summary (markdown) to FILE",
    )
    compare.add_argument(
        "--allow-incomplete",
        action="store_true",
        help="compare runs that were interrupted (refused by default: exit 2)",
    )
    compare.set_defaults(command=cmd_compare)

    migrate = sub.add_parser(
        "migrate",
        help="the lifecycle rules that change when an app moves between two frameworks",
        description="A migration guide in Markdown, from the results of both frameworks.",
        epilog=MIGRATE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    migrate.add_argument(
        "results", nargs="+", type=Path, metavar="RESULTS", help="files, or folders of *.json"
    )
    migrate.add_argument(
        "--from", dest="source", required=True, metavar="FRAMEWORK", help="the app's framework now"
    )
    migrate.add_argument(
        "--to", dest="target", required=True, metavar="FRAMEWORK", help="the one it moves to"
    )
    migrate.add_argument("--from-release", metavar="VERSION", help="default: the newest")
    migrate.add_argument("--to-release", metavar="VERSION", help="default: the newest")
    migrate.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: stdout")
    migrate.set_defaults(command=cmd_migrate)

    clauses = sub.add_parser("clauses", help="list the clause registry")
    clauses.add_argument("--untested", action="store_true", help="only clauses with no test")
    clauses.add_argument("--json", action="store_true", help="machine-readable output")
    clauses.set_defaults(command=cmd_clauses)

    spec = sub.add_parser("spec", help="render SPEC.md from the registry")
    group = spec.add_mutually_exclusive_group()
    group.add_argument("-o", "--output", type=Path, metavar="FILE", help="default: stdout")
    group.add_argument("--check", type=Path, metavar="FILE", help="exit 1 if FILE is stale")
    spec.set_defaults(command=cmd_spec)

    adapters = sub.add_parser("adapters", help="list the adapters this installation knows")
    adapters.set_defaults(command=cmd_adapters)
    return parser


def cmd_run(args: argparse.Namespace) -> int:
    # Check every input before pytest starts, so bad input is one line, exit 2
    # (the plugin checks them again, the same way, when pytest configures it).
    check_run_options(vars(args))
    pytest_args = [
        "--pyargs",
        "conformance.suite",
        "-c",
        str(SUITE_INI),
        "--rootdir",
        str(SUITE),
        "-p",
        "no:cacheprovider",
        # The suite is self-contained: no conftest.py of the current directory
        # (a framework's own test setup, say) may change how it runs.
        "--noconftest",
        *run_option_args(vars(args)),
        "-v" if args.verbose else "-q",
    ]
    code = pytest.main(pytest_args)
    if code == pytest.ExitCode.OK:
        return EXIT_OK
    if code == pytest.ExitCode.TESTS_FAILED:
        return EXIT_FAILED
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        raise UsageError("no conformance test was selected")
    if code == pytest.ExitCode.USAGE_ERROR:
        return EXIT_USAGE  # pytest has printed the one-line reason
    return int(code)


def cmd_report(args: argparse.Namespace) -> int:
    paths = _results_paths(args.results)
    if args.data_dir is not None:  # before reading or writing anything
        check_data_dir(paths, args.data_dir)
    if args.output is not None:
        check_writable(args.output, "--output")
    if args.html is not None:
        check_writable(args.html, "--html")
    results = [Results.load(path) for path in paths]
    shown = results
    if args.data_dir is not None:  # REPORT.md is made of exactly the files written
        written = write_data_dir(list(zip(paths, results, strict=True)), args.data_dir)
        shown = [Results.load(path) for path in written]
    text = render(shown, registry())
    if args.html is not None:
        write_text(args.html, render_html(results, registry()), "--html")
    _write(text, args.output)
    return EXIT_OK


def cmd_compare(args: argparse.Namespace) -> int:
    if args.markdown is not None:
        check_writable(args.markdown, "--markdown")  # before reading anything
    old, new = Results.load(args.old), Results.load(args.new)
    for path, run in ((args.old, old), (args.new, new)):
        if not run.complete and not args.allow_incomplete:
            raise UsageError(
                f"results file {str(path)!r} is of an incomplete run ({one_line_text(run)});"
                " run it again, or pass --allow-incomplete to compare it anyway"
            )
    comparison = compare(old, new)
    if args.markdown is not None:
        write_text(args.markdown, comparison.render_markdown(), "--markdown")
    if args.format == "markdown":
        sys.stdout.write(comparison.render_markdown())
    else:
        print(comparison.render_text())
    return EXIT_FAILED if comparison.regressed else EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    if args.output is not None:
        check_writable(args.output, "--output")  # before reading anything
    text = migration_guide(
        _load_results(args.results),
        registry(),
        args.source,
        args.target,
        source_release=args.from_release,
        target_release=args.to_release,
    )
    _write(text, args.output)
    return EXIT_OK


def cmd_clauses(args: argparse.Namespace) -> int:
    tests = tests_by_clause()
    reg = registry()
    rows = [c for c in reg.clauses if not args.untested or not tests.get(c.id)]
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": c.id,
                        "level": c.level,
                        "area": c.area,
                        "basis": c.basis,
                        "text": c.text,
                        "source": c.source,
                        "tests": tests.get(c.id, 0),
                        "retired": c.retired or None,
                    }
                    for c in rows
                ],
                indent=2,
            )
        )
        return EXIT_OK
    width = max((len(c.id) for c in rows), default=0)
    for c in rows:
        count = tests.get(c.id, 0)
        state = "retired" if c.retired else f"{count} test{'s' if count != 1 else ''}"
        print(f"{c.id:<{width}}  {c.level:<6}  {state:<8}  {c.text}")
    untested = sum(1 for c in reg.active() if not tests.get(c.id))
    print(f"\n{len(reg.active())} active clauses, {untested} with no test", file=sys.stderr)
    return EXIT_OK


def tests_by_clause() -> dict[str, int]:
    """How many conformance tests name each clause, by collecting the suite."""

    class Collector:
        def __init__(self) -> None:
            self.counts: dict[str, int] = {}

        def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
            for item in items:
                cid = clause_of(item)
                if cid is not None and is_conformance_test(item):
                    self.counts[cid] = self.counts.get(cid, 0) + 1

    collector = Collector()
    args = ["--collect-only", "-p", "no:terminal", "-p", "no:cacheprovider", "--noconftest"]
    args += ["-c", str(SUITE_INI)]
    code = pytest.main(
        [*args, "--rootdir", str(SUITE), "--pyargs", "conformance.suite"], plugins=[collector]
    )
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        raise UsageError(f"collecting the conformance suite failed (pytest exit code {int(code)})")
    return collector.counts


def cmd_spec(args: argparse.Namespace) -> int:
    if args.output is not None:
        check_writable(args.output, "--output")
    text = render_markdown(registry())
    if args.check is not None:
        current = _read_text(args.check, "--check") if args.check.exists() else ""
        if current != text:
            print(f"{args.check} is stale: run '{PROG} spec -o {args.check}'", file=sys.stderr)
            return EXIT_FAILED
        return EXIT_OK
    _write(text, args.output)
    return EXIT_OK


def cmd_adapters(args: argparse.Namespace) -> int:
    for name, target in sorted(known_adapters().items()):
        try:
            status = f"{framework_version(load_adapter(name))} installed"
        except ConformanceError as exc:
            status = f"unavailable: {exc}"
        except Exception as exc:  # one broken adapter never hides the others
            status = f"unavailable: {one_line(exc)}"
        print(f"{name:<12} {target:<40} {status}")
    return EXIT_OK


def one_line_text(run: Results) -> str:
    return plain(run.interruption or "no reason given", 200)


def _results_paths(given: Sequence[Path]) -> list[Path]:
    """The results files given, a folder standing for its ``*.json``; a
    UsageError if there are none."""
    paths: list[Path] = []
    for path in given:
        paths += sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not paths:
        raise UsageError(f"no results files (*.json) in {', '.join(map(str, given))}")
    return paths


def _load_results(given: Sequence[Path]) -> list[Results]:
    return [Results.load(path) for path in _results_paths(given)]


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        write_text(output, text, "--output")


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise UsageError(f"cannot read {what} {str(path)!r}: {reason}") from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
