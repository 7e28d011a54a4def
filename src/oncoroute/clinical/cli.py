"""`oncoroute triage FILE.json` — triage one findings file from the command line.

    oncoroute triage case.json          readable report
    oncoroute triage --json case.json   the whole report as JSON
    oncoroute triage - < case.json      read the findings from standard input

Exit status: 0 on success, 2 when the input is not valid JSON or not valid findings (the message on
standard error names the field).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, TextIO

from oncoroute.clinical.findings import FindingsError
from oncoroute.clinical.report import TriageReport, triage
from oncoroute.clinical.result import Result

EXIT_OK = 0
EXIT_BAD_INPUT = 2
SCORE_KEYS = ("sins", "tokuhashi", "tomita", "modified_bauer", "nesms")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oncoroute triage",
        description="Score and screen one case from a canonical findings JSON file.",
    )
    parser.add_argument("file", help="findings JSON file, or - for standard input")
    parser.add_argument("--json", action="store_true", help="print the whole report as JSON")
    parser.add_argument(
        "--ra223-label",
        choices=("eu", "us"),
        default="eu",
        help="radium-223 rule: EU restriction (default) or US label",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; `argv` may start with the sub-command name `triage`."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["triage"]:
        arguments = arguments[1:]
    try:
        options = build_parser().parse_args(arguments)
    except SystemExit as exit_request:
        return int(exit_request.code or 0)
    try:
        data = read_findings(options.file)
        report = triage(data, ra223_label=options.ra223_label)
    except FindingsError as error:
        print(f"invalid findings: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OSError, ValueError) as error:
        print(f"cannot read findings: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        if options.json:
            json.dump(report.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
            sys.stdout.write("\n")
        else:
            write_text_report(report, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (`| head`); silence the interpreter's flush at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK


def read_findings(path: str) -> Any:
    """Parse the findings JSON; malformed JSON raises ValueError with its position."""
    if path == "-":
        return json.load(sys.stdin)
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def write_text_report(report: TriageReport, out: TextIO) -> None:
    """A report a coordinator can read: urgency first, then scores, pathway and eligibility."""
    summary = report.summary
    results = report.results
    out.write(f"Triage report (rules {report.rules_version})\n\n")
    out.write(f"URGENCY: {summary.triage}\n  {results['mscc'].meaning}\n")
    out.write(f"TRAVEL: {summary.travel}\n  {results['travel'].meaning}\n\n")
    out.write("Scores\n")
    for key in SCORE_KEYS:
        out.write(_score_line(results[key]))
    out.write("\nNeurology and status\n")
    for key in ("escc", "frankel", "performance"):
        out.write(f"  {results[key].meaning}\n")
    noms = results["noms"]
    out.write(f"\nNOMS pathway: {noms.value}\n  {noms.meaning}\n")
    out.write("\nTherapies\n")
    for therapy_id, result in report.eligibility.items():
        out.write(f"  {therapy_id:<24} {result.band}\n")
    if report.flags:
        out.write(f"\nFlags: {', '.join(report.flags)}\n")
    if report.needs:
        out.write(f"Needs: {', '.join(report.needs)}\n")


def _score_line(result: Result) -> str:
    low, high = result.range if result.range is not None else (0, 0)
    value = result.value if result.value is not None else f"{low}–{high}"
    band = result.band or "undetermined"
    line = f"  {result.name}: {value} [{band}]\n    {result.meaning}\n"
    points = ", ".join(
        f"{c.name}={c.points if c.points is not None else f'{c.min}–{c.max}'}"
        for c in result.components
    )
    if points:
        line += f"    points: {points}\n"
    if result.needs:
        line += f"    needs: {', '.join(result.needs)}\n"
    return line
