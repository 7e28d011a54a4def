"""Request intake and the coordinator queue under load, on a fresh SQLite file.

Prints: requests per second through the real form view (and the ratio to a plain GET of the
sign-in page through the same stack, measured in this run); the queue page's p95 over 10,000
cases (and the ratio to the same page over 100 cases); the queue page's SQL query count at both
sizes, which must be equal.

    .venv/bin/python bench/bench_foundation.py [--requests 1000] [--cases 10000]
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import sys
import time
import uuid

from benchkit import ROOT, configure_django, p95, timed


def form_data(n: int) -> dict[str, object]:
    return {
        "submission_token": str(uuid.uuid4()),
        "full_name": f"Bench Patient {n}",
        "email": f"bench{n}@example.com",
        "country": "KZ",
        "language": "ru",
        "writer_role": "patient",
        "primary_cancer": "breast",
        "spine_regions": ["thoracic"],
        "warning_signs": ["limb_weakness"] if n % 7 == 0 else [],
        "wants": ["online_consultation"],
        "consent": "on",
    }


def bench_submit(requests: int) -> float:
    from django.test import Client

    from oncoroute.cases.models import Case

    client = Client()
    baseline = timed(lambda: client.get("/accounts/login/"), requests)
    start = time.perf_counter()
    for n in range(requests):
        response = client.post("/", form_data(n), REMOTE_ADDR=f"10.{n // 250}.{n % 250}.1")
        assert response.status_code == 302, response.status_code
    elapsed = time.perf_counter() - start
    assert Case.objects.count() == requests, Case.objects.count()
    rate = requests / elapsed
    baseline_rate = 1000 / statistics.mean(baseline)
    print(f"submit: {rate:.0f} requests/s through the form view ({requests} cases created)")
    print(f"        baseline GET /accounts/login/: {baseline_rate:.0f} requests/s")
    print(f"        ratio submit/baseline: {rate / baseline_rate:.2f}")
    return rate


def fill_cases(total: int) -> None:
    from django.utils import timezone

    from oncoroute.cases.models import Case
    from oncoroute.cases.vocabulary import Urgency, queue_rank

    missing = total - Case.objects.count()
    urgencies = list(Urgency)
    now = timezone.now()
    batch = []
    for n in range(missing):
        urgency = urgencies[n % 3]
        batch.append(
            Case(
                reference=f"OR-BENCH-{total}-{n:06d}",
                full_name=f"Queue Patient {n}",
                email=f"queue{n}@example.com",
                country="GE",
                language="en",
                writer_role="patient",
                primary_cancer="lung",
                urgency=urgency,
                queue_rank=queue_rank(urgency=urgency, sins_band=""),
                created_at=now,
            )
        )
    Case.objects.bulk_create(batch, batch_size=1000)


def bench_queue(cases: int) -> None:
    from allauth.mfa.totp.internal.auth import TOTP
    from django.test import Client

    from oncoroute.accounts.roles import Role
    from oncoroute.accounts.services import user_create
    from oncoroute.cases.models import Case

    coordinator = user_create(email="bench-coordinator@example.com", role=Role.COORDINATOR)
    TOTP.activate(coordinator, base64.b32encode(os.urandom(20)).decode())  # staff must have one
    client = Client()
    client.force_login(coordinator)

    def open_queue() -> None:
        assert client.get("/coordinator/").status_code == 200

    def measure(size: int) -> tuple[float, int]:
        Case.objects.all().delete()
        fill_cases(size)
        open_queue()
        with count_queries() as counter:
            open_queue()
        return p95(timed(open_queue, 60)), counter.count

    small_p95, small_queries = measure(100)
    large_p95, large_queries = measure(cases)
    print(f"queue: p95 {large_p95:.1f} ms over {cases} cases; {small_p95:.1f} ms over 100 cases")
    print(f"       ratio p95({cases})/p95(100): {large_p95 / small_p95:.2f}")
    print(f"       SQL queries per page: {small_queries} at 100 cases, {large_queries} at {cases}")
    if large_queries != small_queries:
        sys.exit("the queue's query count grows with the number of cases")


def count_queries():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT))
    from tests.query_count import count_queries as counting

    return counting()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--cases", type=int, default=10_000)
    args = parser.parse_args()
    configure_django("foundation")
    bench_submit(args.requests)
    bench_queue(args.cases)


if __name__ == "__main__":
    main()
