"""What the check-in form asks, in the words a patient or relative uses, and the one label of
each code (a code shown to a person always goes through these tables)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from oncoroute.followup.schedule import interval_parse


class Respondent(models.TextChoices):
    PATIENT = "patient", _("I am the patient")
    RELATIVE = "relative", _("A relative or friend of the patient")


class Walking(models.TextChoices):
    """Ordered from best to worst: the outcome table's median reads the position."""

    UNAIDED = "unaided", _("Walks without help")
    AID = "aid", _("Walks with a stick, crutches or a walker")
    ASSISTED = "assisted", _("Walks only with another person's help")
    UNABLE = "unable", _("Cannot walk")


WALKING_ORDER: tuple[str, ...] = tuple(Walking.values)


class Response(models.TextChoices):
    """The treatment's effect as the patient's own doctor told them, not our judgement."""

    SHRANK = "shrank", _("The disease has shrunk or gone")
    STABLE = "stable", _("The disease is stable")
    GREW = "grew", _("The disease has grown or spread")
    NOT_YET = "not_yet", _("No check-up yet, or the doctor has not said")
    UNKNOWN = "unknown", _("I do not know")


class VitalStatus(models.TextChoices):
    ALIVE = "alive", _("The patient is alive")
    DIED = "died", _("The patient has died")


class YesNo(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


def interval_label(code: str) -> str:
    """“2 weeks”, “3 months”: an interval as a person reads it, in the page's language."""
    interval = interval_parse(code)
    count = interval.count
    if interval.unit == "d":
        return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}
    if interval.unit == "w":
        return ngettext("%(count)d week", "%(count)d weeks", count) % {"count": count}
    return ngettext("%(count)d month", "%(count)d months", count) % {"count": count}
