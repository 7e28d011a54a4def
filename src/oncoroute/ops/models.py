"""What running the service needs to remember: who holds the scheduler, when each scheduled job
last ran, and which side effects of a task are already done."""

from __future__ import annotations

from django.db import models


class SchedulerLease(models.Model):
    """The right to run the schedule: held by one process until `expires_at`, renewed while it
    lives, taken over by another scheduler once it lapses."""

    name = models.CharField(primary_key=True, max_length=40)
    holder = models.CharField(max_length=200)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} held by {self.holder} until {self.expires_at:%Y-%m-%d %H:%M:%S}"


class ScheduledRun(models.Model):
    """When one scheduled job last started and finished, and how that ended."""

    class Outcome(models.TextChoices):
        RUNNING = "running", "running"
        OK = "ok", "finished"
        FAILED = "failed", "failed"

    job = models.CharField(primary_key=True, max_length=60)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)

    def __str__(self) -> str:
        return f"{self.job}: {self.outcome} at {self.started_at:%Y-%m-%d %H:%M:%S}"


class TaskStep(models.Model):
    """A side effect of a background task that is done (an email sent, a copy published): a
    task run again after its worker died skips it. Keys name the task, its object and the step."""

    key = models.CharField(primary_key=True, max_length=200)
    done_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.key
