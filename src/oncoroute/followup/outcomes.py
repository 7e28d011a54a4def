"""The outcome table: check-ins grouped by clinic or by treatment, counted, with medians. Plain
data in and out (the selectors read the database, the page shows the rows).

A patient counts in every group they belong to (a plan of surgery then SBRT counts under both
treatments). Groups where fewer than `MIN_TO_COMPARE` patients answered carry `too_few`: the
page says in plain words that such numbers cannot be compared.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from oncoroute.followup.answers import CheckInAnswers
from oncoroute.followup.vocabulary import WALKING_ORDER

MIN_TO_COMPARE = 5
NOT_RECORDED = ""


@dataclass(frozen=True)
class CheckInFact:
    """One check-in that is due (or was answered early): its case, and the answer if any."""

    case_id: int
    interval: str
    answers: CheckInAnswers | None = None

    @property
    def answered(self) -> bool:
        return self.answers is not None


@dataclass
class OutcomeRow:
    """One group's numbers. `group` is a clinic's name or a treatment's code; `NOT_RECORDED`
    gathers the cases with no accepted plan."""

    group: str
    patients: int = 0
    due: int = 0
    answered: int = 0
    patients_answered: int = 0
    median_pain: float | None = None
    pain_answers: int = 0
    median_walking: str = ""
    walking_answers: int = 0
    warnings: int = 0
    died: int = 0
    responses: Counter[str] = field(default_factory=Counter)

    @property
    def missing(self) -> int:
        """Check-ins due and not answered."""
        return self.due - self.answered

    @property
    def too_few(self) -> bool:
        return self.patients_answered < MIN_TO_COMPARE


def _median_walking(codes: Sequence[str]) -> str:
    ranks = [WALKING_ORDER.index(code) for code in codes if code in WALKING_ORDER]
    return WALKING_ORDER[statistics.median_low(ranks)] if ranks else ""


def _row(group: str, facts: Sequence[CheckInFact]) -> OutcomeRow:
    answers = [fact.answers for fact in facts if fact.answers is not None]
    living = [answer for answer in answers if not answer.died]
    pains = [answer.pain for answer in living if answer.pain is not None]
    walking = [answer.walking for answer in living if answer.walking]
    return OutcomeRow(
        group=group,
        patients=len({fact.case_id for fact in facts}),
        due=len(facts),
        answered=len(answers),
        patients_answered=len({fact.case_id for fact in facts if fact.answered}),
        median_pain=statistics.median(pains) if pains else None,
        pain_answers=len(pains),
        median_walking=_median_walking(walking),
        walking_answers=len(walking),
        warnings=sum(1 for answer in living if answer.has_warning_signs),
        died=sum(1 for answer in answers if answer.died),
        responses=Counter(answer.response for answer in living if answer.response),
    )


def outcome_rows(
    facts: Iterable[CheckInFact], groups_of: Mapping[int, Sequence[str]]
) -> list[OutcomeRow]:
    """One row per group, by name, with the cases of no group last (`NOT_RECORDED`)."""
    grouped: dict[str, list[CheckInFact]] = {}
    for fact in facts:
        for group in groups_of.get(fact.case_id) or (NOT_RECORDED,):
            grouped.setdefault(group, []).append(fact)
    order = sorted(grouped, key=lambda group: (group == NOT_RECORDED, group.casefold()))
    return [_row(group, grouped[group]) for group in order]
