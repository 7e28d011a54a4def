"""When the check-ins after the return home fall: plain dates in and out (only the error
messages go through Django's translation).

A schedule is a list of intervals after the day the patient came home, each written as a count
and a unit: `14d` (days), `2w` (weeks), `3m` (calendar months). Months are calendar months, so
that "3 months after 30 November" is 28 (or 29) February, not a fixed number of days.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

# Two weeks, six weeks, three months and six months after the return home.
DEFAULT_SCHEDULE: tuple[str, ...] = ("2w", "6w", "3m", "6m")
MAX_CHECK_INS = 12
# Nothing is planned beyond five years after the return.
MAX_DAYS = 5 * 366
_INTERVAL = re.compile(r"([1-9][0-9]{0,3})([dwm])")
_UNIT_DAYS = {"d": 1, "w": 7, "m": 31}


class ScheduleError(ValueError):
    """A schedule that cannot be used; the message says which interval and why."""


@dataclass(frozen=True, order=True)
class Interval:
    """One interval after the return home: `count` days, weeks or months."""

    approx_days: int
    count: int
    unit: str

    @property
    def code(self) -> str:
        return f"{self.count}{self.unit}"

    def after(self, returned_on: date) -> date:
        if self.unit == "m":
            return add_months(returned_on, self.count)
        return returned_on + timedelta(days=self.count * _UNIT_DAYS[self.unit])


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, or that month's last day if it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def interval_parse(code: str) -> Interval:
    shape = _INTERVAL.fullmatch(code.strip().lower())
    if shape is None:
        raise ScheduleError(
            _("“%(code)s” is not an interval: write a number and d, w or m, e.g. 2w or 3m.")
            % {"code": code.strip()}
        )
    count, unit = int(shape.group(1)), shape.group(2)
    if unit == "m":
        approx = (add_months(date(2000, 1, 1), count) - date(2000, 1, 1)).days
    else:
        approx = count * _UNIT_DAYS[unit]
    if approx > MAX_DAYS:
        raise ScheduleError(
            _("“%(code)s” is more than five years after the return.") % {"code": code.strip()}
        )
    return Interval(approx_days=approx, count=count, unit=unit)


def schedule_parse(codes: Sequence[str]) -> list[Interval]:
    """The intervals in time order; refused when one is malformed, repeated or too far, when
    there are none, or more than `MAX_CHECK_INS`."""
    intervals = [interval_parse(code) for code in codes if code.strip()]
    if not intervals:
        raise ScheduleError(_("A schedule needs at least one check-in, e.g. 2w."))
    if len(intervals) > MAX_CHECK_INS:
        raise ScheduleError(
            _("A schedule has at most %(most)d check-ins.") % {"most": MAX_CHECK_INS}
        )
    days = [interval.approx_days for interval in intervals]
    if len(set(days)) != len(days):
        raise ScheduleError(_("Two intervals of the schedule are the same length."))
    return sorted(intervals)


def schedule_text(codes: Sequence[str]) -> str:
    """A schedule as the coordinator writes it: `2w, 6w, 3m, 6m`."""
    return ", ".join(codes)


def schedule_split(text: str) -> list[str]:
    """The codes of a schedule written with commas or spaces between them."""
    return [part for part in re.split(r"[\s,;]+", text) if part]


def check_in_dates(returned_on: date, codes: Sequence[str]) -> list[tuple[str, date]]:
    """Each interval's code with the day its check-in is due, in time order."""
    return [(interval.code, interval.after(returned_on)) for interval in schedule_parse(codes)]
