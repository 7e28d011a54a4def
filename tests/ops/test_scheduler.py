"""One scheduler runs the periodic jobs at a time; another takes over when its lease lapses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from oncoroute.ops import scheduler
from oncoroute.ops.models import ScheduledRun, SchedulerLease
from oncoroute.ops.scheduler import Job, Scheduler, jobs_due, lease_release, lease_take

pytestmark = pytest.mark.django_db


def test_a_second_scheduler_waits_while_the_first_holds_the_lease() -> None:
    assert lease_take("a")
    assert not lease_take("b")
    assert lease_take("a")  # renewing
    assert SchedulerLease.objects.get().holder == "a"


def test_a_lapsed_lease_is_taken_over() -> None:
    assert lease_take("a")
    later = timezone.now() + scheduler.LEASE + timedelta(seconds=1)
    assert lease_take("b", now=later)
    assert not lease_take("a", now=later)


def test_a_released_lease_is_free_at_once() -> None:
    assert lease_take("a")
    lease_release("a")
    assert lease_take("b")


def test_two_schedulers_run_each_due_job_once(monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[str] = []
    jobs = (
        Job("first", timedelta(minutes=1), lambda: runs.append("first")),
        Job("second", timedelta(hours=1), lambda: runs.append("second")),
    )
    monkeypatch.setattr(scheduler, "JOBS", jobs)
    one, two = Scheduler("one"), Scheduler("two")
    assert one.tick() == ["first", "second"]
    assert two.tick() == []
    assert one.tick() == []  # nothing due yet
    assert runs == ["first", "second"]
    assert set(ScheduledRun.objects.values_list("outcome", flat=True)) == {"ok"}


def test_a_job_is_due_again_after_its_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scheduler, "JOBS", (Job("j", timedelta(minutes=5), lambda: None),))
    Scheduler("one").tick()
    assert jobs_due() == []
    assert [job.name for job in jobs_due(now=timezone.now() + timedelta(minutes=6))] == ["j"]


def test_a_failing_job_is_recorded_and_the_others_still_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken() -> None:
        raise RuntimeError("boom")

    jobs = (Job("broken", timedelta(minutes=1), broken), Job("fine", timedelta(minutes=1), list))
    monkeypatch.setattr(scheduler, "JOBS", jobs)
    assert Scheduler("one").tick() == ["broken", "fine"]
    outcomes = dict(ScheduledRun.objects.values_list("job", "outcome"))
    assert outcomes == {"broken": "failed", "fine": "ok"}


def test_the_real_jobs_run_once_from_the_command() -> None:
    call_command("scheduler", "--once", verbosity=0)
    assert set(ScheduledRun.objects.values_list("job", flat=True)) == {
        job.name for job in scheduler.JOBS
    }
    assert set(ScheduledRun.objects.values_list("outcome", flat=True)) == {"ok"}
    # --once hands the lease back: a long-running scheduler need not wait for it.
    assert lease_take("another")
