"""The follow-up's source of cord-compression warning signs for the safety gate
(`oncoroute.cases.safety.FLAG_SOURCES`), registered when the app loads."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max

from oncoroute.cases.models import Case
from oncoroute.followup.models import CheckIn


def followup_warning_at(case: Case) -> datetime | None:
    """When the latest check-in answer with warning signs arrived, or None."""
    latest: datetime | None = CheckIn.objects.filter(case=case).aggregate(latest=Max("warning_at"))[
        "latest"
    ]
    return latest
