"""Benchmark: trip plans per second on one core, against a plain-dict baseline.

Run: python bench/bench_itinerary.py [--n 10000] [--seed 2027]

`parse_request` validates the plan (every field, and that no date runs past 9999), and
`plan_trips` places every session on an open day, cuts the trips, prices them and the single
stay, and builds the records; `to_dict()` writes the PLANNER.md §3 object. The baseline is a
plain function doing the same placement and trip arithmetic on the dicts with `datetime.date`,
with no validation, reasons or records — the floor a plan can cost. Both run in this process
over the same seeded plans.
"""

from __future__ import annotations

import argparse
import itertools
import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from oncoroute.itinerary import (
    MIN_DAYS_BEFORE_FLIGHT,
    SERVICES,
    PlanRequest,
    parse_request,
    plan_trips,
)

Plan = dict[str, Any]
DAY = timedelta(days=1)


def random_plan(rng: random.Random) -> Plan:
    """A valid plan of 1–6 items with holidays, as a clinic might send it."""
    arrival = date(2027, 1, 1) + timedelta(days=rng.randrange(0, 730))
    working = sorted(rng.sample(range(7), rng.choice((5, 5, 5, 6, 4))))
    closed = [(arrival + timedelta(days=rng.randrange(0, 200))).isoformat() for _ in range(12)]
    items = []
    for _ in range(rng.randint(1, 6)):
        service = rng.choice(SERVICES)
        item: Plan = {"service": service, "sessions": rng.choice((1, 1, 1, 3, 5, 5, 10, 4))}
        if item["sessions"] > 1:
            item["interval_days"] = rng.choice((1, 1, 7, 28, 42, 56))
        if rng.random() < 0.6:
            item["after_previous_days"] = rng.choice((0, 1, 2, 7, 14, 21))
        if rng.random() < 0.3:
            item["hospital_nights"] = rng.choice((1, 2, 5, 7))
        if rng.random() < 0.3:
            item["recovery_days"] = rng.choice((1, 2, 3, 10))
        items.append(item)
    return {
        "earliest_arrival": arrival.isoformat(),
        "clinic": {"working_days": working, "closed_dates": closed},
        "journey": {
            "one_way_fare": f"{rng.randint(80, 900)}.{rng.randint(0, 99):02d}",
            "travellers": rng.randint(1, 3),
        },
        "stay": {"per_night": f"{rng.randint(40, 300)}.00"},
        "currency": "EUR",
        "home_stay_min_days": rng.choice((5, 7, 7, 10)),
        "items": items,
    }


# --- baseline: the same placement and trip arithmetic on plain dicts ----------------------------


def baseline(plan: Plan) -> Plan:
    """Plain dict in, dict out: open days, flights, trips and the total, unchecked."""
    working = set(plan["clinic"]["working_days"])
    closed = {date.fromisoformat(d) for d in plan["clinic"]["closed_dates"]}
    earliest = date.fromisoformat(plan["earliest_arrival"]) + DAY
    sessions: list[tuple[date, date, date]] = []
    for index, item in enumerate(plan["items"]):
        nights = item.get("hospital_nights", 0)
        if index:
            earliest = sessions[-1][1] + timedelta(days=item.get("after_previous_days", 1))
        for _ in range(item["sessions"]):
            day = earliest
            while day.weekday() not in working or day in closed:
                day += DAY
            discharge = day + timedelta(days=nights)
            flight = max(
                day + timedelta(days=MIN_DAYS_BEFORE_FLIGHT[item["service"]]),
                discharge + timedelta(days=item.get("recovery_days", 0)),
                discharge + DAY if nights else day,
            )
            sessions.append((day, discharge, flight))
            earliest = max(day + timedelta(days=item.get("interval_days", 1)), discharge)
    trips: list[tuple[date, date]] = []
    outbound, home = sessions[0][0] - DAY, sessions[0][2]
    for (_, _, flight), (following, _, _) in itertools.pairwise(sessions):
        home = max(home, flight)
        if (following - DAY - home).days >= plan.get("home_stay_min_days", 7):
            trips.append((outbound, home))
            outbound, home = following - DAY, following
    trips.append((outbound, max(home, sessions[-1][2])))
    nights_away = sum((back - out).days for out, back in trips)
    hospital = sum((discharge - day).days for day, discharge, _ in sessions)
    journey = plan["journey"]
    paid = nights_away - (hospital if journey["travellers"] == 1 else 0)
    flights = Decimal(journey["one_way_fare"]) * journey["travellers"] * 2 * len(trips)
    total = flights + Decimal(plan["stay"]["per_night"]) * paid
    return {"trips": len(trips), "home": trips[-1][1].isoformat(), "total": f"{total:.2f}"}


def rate(function: Callable[[Any], object], plans: list[Any], repeat: int = 3) -> float:
    """Best of `repeat` runs, in calls per second."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for plan in plans:
            function(plan)
        best = min(best, time.perf_counter() - start)
    return len(plans) / best


def parsed(plan: Plan) -> PlanRequest:
    request = parse_request(plan)
    assert isinstance(request, PlanRequest), request
    return request


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2027)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    plans = [random_plan(rng) for _ in range(options.n)]
    requests = [parsed(plan) for plan in plans]
    for plan, request in zip(plans[:500], requests, strict=False):
        summary = plan_trips(request).summary
        assert summary is not None
        assert baseline(plan) == {
            "trips": summary.trips,
            "home": summary.home.isoformat(),
            "total": str(summary.cost.total),
        }, plan
    sessions = sum(item["sessions"] for plan in plans for item in plan["items"])
    plan_rate = rate(plan_trips, requests)
    whole_rate = rate(lambda plan: plan_trips(parsed(plan)).to_dict(), plans)
    baseline_rate = rate(baseline, plans)
    print(
        f"{options.n} varied plans, {sessions / options.n:.1f} sessions each "
        f"(seed {options.seed}), one core"
    )
    print(
        f"plan_trips: {plan_rate:,.0f} plans/s; baseline: {baseline_rate:,.0f}/s; "
        f"ratio: {plan_rate / baseline_rate:.2f}"
    )
    print(
        f"parse_request + plan_trips + to_dict: {whole_rate:,.0f} plans/s; "
        f"ratio: {whole_rate / baseline_rate:.2f}"
    )


if __name__ == "__main__":
    main()
