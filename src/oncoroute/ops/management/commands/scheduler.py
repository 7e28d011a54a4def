"""Run the periodic jobs (ops.scheduler); start as many as you like, one runs them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from oncoroute.ops.scheduler import JOBS, Scheduler, jobs_due, lease_release


class Command(BaseCommand):
    help = "Run retention, security alerts, upload clean-up, reminders and news on their schedules."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="run what is due, then stop")
        parser.add_argument("--list", action="store_true", help="list the jobs and what is due")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            due = {job.name for job in jobs_due()}
            for job in JOBS:
                mark = "due" if job.name in due else ""
                self.stdout.write(f"{job.name:24} every {job.every}  {mark}")
            return
        scheduler = Scheduler()
        if options["once"]:
            try:
                ran = scheduler.tick()
            finally:
                lease_release(scheduler.holder)
            self.stdout.write(f"Ran {len(ran)} job(s): {', '.join(ran) or 'none due or not held'}")
            return
        scheduler.run_forever()
