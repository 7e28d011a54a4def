"""`oncoroute itinerary FILE.json` — work one accepted plan into trips from the command line.

    oncoroute itinerary plan.json          a readable plan
    oncoroute itinerary plan.json --json   the PLANNER.md §3 object
    oncoroute itinerary - < plan.json      read the plan from standard input

Exit status: 0 on success, 2 when the input is not JSON or not a valid plan (one line per problem
on standard error, `PATH: message`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, TextIO

from .planner import plan_trips
from .request import parse_request
from .result import Itinerary
from .rules import SERVICE_LABELS

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oncoroute itinerary",
        description="Plan the trips, dates and costs of one accepted treatment plan.",
    )
    parser.add_argument("file", help="plan JSON file (PLANNER.md §1), or - for standard input")
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; `argv` may start with the sub-command name `itinerary`."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["itinerary"]:
        arguments = arguments[1:]
    try:
        options = build_parser().parse_args(arguments)
    except SystemExit as exit_request:
        return int(exit_request.code or 0)
    try:
        data = read_plan(options.file)
    except (OSError, ValueError) as error:
        print(f"$: cannot read the plan: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    request = parse_request(data)
    if isinstance(request, list):
        for problem in request:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    itinerary = plan_trips(request)
    try:
        if options.json:
            json.dump(itinerary.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
            sys.stdout.write("\n")
        else:
            write_text_plan(itinerary, sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (`| head`); silence the interpreter's flush at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK


def _refuse_constant(constant: str) -> None:
    raise ValueError(f"{constant} is not JSON")


def read_plan(path: str) -> Any:
    """Parse the plan's JSON; malformed JSON (NaN and Infinity included) raises ValueError."""
    if path == "-":
        return json.load(sys.stdin, parse_constant=_refuse_constant)
    with open(path, encoding="utf-8") as handle:
        return json.load(handle, parse_constant=_refuse_constant)


def write_text_plan(itinerary: Itinerary, out: TextIO) -> None:
    """A plan a coordinator can read: each trip with its sessions and hospital stays, then costs."""
    out.write(f"Trip plan (rules {itinerary.rules_version})\n\n")
    if itinerary.blocked is not None:
        out.write(f"NO TRAVEL ({itinerary.blocked.rule})\n  {itinerary.blocked.advice}\n")
        return
    if itinerary.needs_clearance:
        out.write(
            "CLEARANCE NEEDED: every trip needs the treating specialist's clearance and a "
            "signed airline medical form (MEDIF) before it is confirmed.\n\n"
        )
    admitted = {(admission.item, admission.start): admission for admission in itinerary.admissions}
    for number, trip in enumerate(itinerary.trips, start=1):
        out.write(f"Trip {number}: fly out {trip.outbound}, fly home {trip.home}")
        out.write(f" ({trip.nights} nights)\n")
        for appointment in itinerary.appointments:
            if trip.outbound < appointment.date <= trip.home:
                label = SERVICE_LABELS[appointment.service]
                out.write(f"  {appointment.date}  {label}, session {appointment.session}\n")
                stay = admitted.get((appointment.item, appointment.date))
                if stay is not None:
                    nights = f"{stay.nights} night{'' if stay.nights == 1 else 's'}"
                    out.write(f"              in hospital until {stay.end} ({nights})\n")
        out.write(f"  home on {trip.home}: {trip.return_reason}\n\n")
    summary = itinerary.summary
    if summary is None:
        return
    cost = summary.cost
    out.write(
        f"{summary.trips} trip(s), {summary.one_way_flights} one-way flights, "
        f"{summary.nights_away} nights away, {summary.hospital_nights} in hospital\n"
        f"Sessions {summary.first_session} to {summary.last_session}; home {summary.home}\n"
        f"Cost: flights {cost.flights} + accommodation {cost.accommodation} "
        f"= {cost.total} {cost.currency}\n"
        f"One stay instead: {summary.single_stay.nights_away} nights away, "
        f"{summary.single_stay.one_way_flights} one-way flights, "
        f"{summary.single_stay.total} {cost.currency}\n"
    )
