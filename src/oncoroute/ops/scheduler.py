"""`oncoroute scheduler`: the periodic jobs, one scheduler at a time.

Any number of schedulers may be started (one per host, say); one holds the lease in the
database and runs the jobs, the others wait and take over within `LEASE` of its death. Each
job's last start is in the database too, so a scheduler that takes over or restarts keeps the
rhythm instead of running everything again. Jobs run one after another in the scheduler's own
process: each is a command that is safe to run twice (and a lost lease stops the next one).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import FrameType

from django.core.management import call_command
from django.db import IntegrityError, close_old_connections, connections, transaction
from django.db.models import Q
from django.utils import timezone

from oncoroute.ops.models import ScheduledRun, SchedulerLease
from oncoroute.ops.steps import task_steps_prune

logger = logging.getLogger(__name__)

LEASE_NAME = "scheduler"
LEASE = timedelta(seconds=60)
RENEW_SECONDS = 15.0
TICK_SECONDS = 5.0


@dataclass(frozen=True)
class Job:
    """A periodic job: its name, how often, and what it does."""

    name: str
    every: timedelta
    run: Callable[[], object]


def _command(name: str) -> Callable[[], object]:
    return lambda: call_command(name, verbosity=0)


JOBS: tuple[Job, ...] = (
    # The families' batched news about their cases (a minute of quiet makes one email).
    Job("notify", timedelta(minutes=1), _command("notify")),
    # Overdue referrals, consultations within a day, follow-up check-ins that fell due.
    Job("reminders", timedelta(minutes=5), _command("reminders")),
    Job("security_alerts_check", timedelta(minutes=5), _command("security_alerts_check")),
    Job("records_cleanup", timedelta(hours=1), _command("records_cleanup")),
    Job("retention_purge", timedelta(days=1), _command("retention_purge")),
    Job("task_steps_prune", timedelta(days=1), task_steps_prune),
)


def lease_take(holder: str, *, now: datetime | None = None) -> bool:
    """Take or renew the lease for `holder`; False while another scheduler holds it."""
    now = now or timezone.now()
    held = SchedulerLease.objects.filter(name=LEASE_NAME).filter(
        Q(holder=holder) | Q(expires_at__lt=now)
    )
    # One conditional UPDATE: two schedulers racing for a lapsed lease cannot both win it.
    if held.update(holder=holder, expires_at=now + LEASE):
        return True
    try:
        with transaction.atomic():
            SchedulerLease.objects.create(name=LEASE_NAME, holder=holder, expires_at=now + LEASE)
    except IntegrityError:
        return False
    return True


def lease_release(holder: str) -> None:
    SchedulerLease.objects.filter(name=LEASE_NAME, holder=holder).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


def jobs_due(*, now: datetime | None = None) -> list[Job]:
    now = now or timezone.now()
    last = dict(ScheduledRun.objects.values_list("job", "started_at"))
    return [job for job in JOBS if job.name not in last or last[job.name] + job.every <= now]


def job_run(job: Job) -> bool:
    """Run one job and record it; True if it finished."""
    ScheduledRun.objects.update_or_create(
        job=job.name,
        defaults={
            "started_at": timezone.now(),
            "finished_at": None,
            "outcome": ScheduledRun.Outcome.RUNNING,
        },
    )
    try:
        job.run()
    except Exception as error:
        # The type only: a job's error can quote what it was working on.
        logger.error("scheduled job %s failed: %s", job.name, type(error).__name__)
        outcome = ScheduledRun.Outcome.FAILED
    else:
        logger.info("scheduled job %s finished", job.name)
        outcome = ScheduledRun.Outcome.OK
    ScheduledRun.objects.filter(job=job.name).update(finished_at=timezone.now(), outcome=outcome)
    return outcome == ScheduledRun.Outcome.OK


class Scheduler:
    """The loop of `oncoroute scheduler`; `stop()` (SIGTERM, SIGINT) ends it after the job in
    hand and hands the lease over at once."""

    def __init__(self, holder: str | None = None) -> None:
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.stopping = threading.Event()
        self.holding = threading.Event()

    def stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        self.stopping.set()

    def _renew_while_running(self, done: threading.Event) -> None:
        try:
            while not done.wait(RENEW_SECONDS):
                if not lease_take(self.holder):
                    self.holding.clear()
                    logger.warning("scheduler %s lost its lease", self.holder)
                    return
        except Exception as error:
            self.holding.clear()
            logger.warning("scheduler lease renewal failed: %s", type(error).__name__)
        finally:
            connections.close_all()

    def tick(self) -> list[str]:
        """Take the lease and run what is due; returns the names of the jobs run."""
        if not transaction.get_connection().in_atomic_block:  # a caller's transaction stays open
            close_old_connections()
        if not lease_take(self.holder):
            self.holding.clear()
            return []
        self.holding.set()
        ran: list[str] = []
        for job in jobs_due():
            if self.stopping.is_set() or not self.holding.is_set():
                break
            done = threading.Event()
            renewer = threading.Thread(target=self._renew_while_running, args=(done,), daemon=True)
            renewer.start()
            try:
                job_run(job)
            finally:
                done.set()
                renewer.join()
            ran.append(job.name)
        return ran

    def run_forever(self) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        logger.info("scheduler %s started", self.holder)
        try:
            while not self.stopping.is_set():
                try:
                    self.tick()
                except Exception as error:
                    # The database away for a moment: try again at the next tick.
                    self.holding.clear()
                    logger.warning("scheduler tick failed: %s", type(error).__name__)
                self.stopping.wait(TICK_SECONDS)
        finally:
            try:
                lease_release(self.holder)
            except Exception as error:
                logger.warning("scheduler could not release its lease: %s", type(error).__name__)
        logger.info("scheduler %s stopped", self.holder)
