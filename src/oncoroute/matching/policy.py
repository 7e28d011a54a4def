"""How oncoroute ranks clinics: the weights and the text shown on the public directory page.

The text below (RANKING_POLICY) is this module's docstring at run time; a test keeps its numbers
in step with the constants.
"""

from __future__ import annotations

from typing import Final

POLICY_VERSION: Final = "matching-1"
"""Stamped on every result; bump it whenever a weight, a filter or the tie-break changes."""

WAITING_MAX: Final = 35
WAITING_DAYS_TO_ZERO: Final = 35  # one point per day of waiting after the earliest date
PRICE_MAX: Final = 25
PRICE_PARTLY: Final = 12
LANGUAGE_FIRST: Final = 15
LANGUAGE_OTHER: Final = 10
OPTIONAL_MAX: Final = 15
COUNTRY_MAX: Final = 10
TOTAL_MAX: Final = WAITING_MAX + PRICE_MAX + LANGUAGE_FIRST + OPTIONAL_MAX + COUNTRY_MAX

RANKING_POLICY: Final[str] = """\
How oncoroute ranks clinics (policy matching-1)

No clinic can pay to rank higher. Nothing a clinic pays, and no commercial agreement, is an
input to the ranking: a clinic's place depends only on the filters and criteria below, computed
from its published services, prices, waiting times, languages, country and accreditations.

Filters: a clinic that fails one is not ranked, and the reasons are listed.
  1. It offers every required service. Where either of two services will do (vertebroplasty or
     kyphoplasty, for example), offering one of them is enough.
  2. It holds at least one valid accreditation: verified by a named person against a named
     register, on or before today, and not expired. An expired accreditation does not count,
     and the result says which one expired and when.
  3. Only if the patient asks for it: it is in one of the patient's preferred countries.
A missing price or waiting time is not a filter: the clinic is ranked, flagged, and gets no
points for that criterion.

Criteria: points out of 100.
  Waiting time, up to 35: 35 points if every required service can start by the patient's
    earliest date (today if none is given), minus 1 point for each day of waiting after it,
    never below 0. The clinic's waiting time for a case is the longest published wait among
    the required services. No points if a required service's wait is not published.
  Price against budget, up to 25: the estimate is the sum of the published prices of the
    required services, converted into the patient's currency with the stated exchange rates
    (the rate and its date are shown). 25 points if the upper estimate is within the budget,
    12 if only the lower estimate is, 0 if both exceed it. No points if no budget is given, or
    if a required price is not published or cannot be converted.
  Language, up to 15: 15 points if staff speak the patient's first language, 10 if they speak
    another language the patient listed, 0 otherwise.
  Optional services, up to 15: 15 points times the share of the patient's optional services
    the clinic offers, rounded down to a whole point.
  Country, up to 10: 10 points if the clinic is in one of the patient's preferred countries.
  Treatment outcomes are not scored yet: no outcome data has been verified to the same
    standard as accreditations. Adding them will be a new version of this policy.

Where either of two services will do, the clinic's offering with the shortest published wait is
used, then the one with the lowest upper price, then the one listed first in the vocabulary.

Ties, in this order: more total points; then the shorter waiting time (unpublished last); then
the lower upper price estimate (unpublished last); then the clinic's name, alphabetically; then
the clinic's identifier. The same inputs always give the same order.
"""

__doc__ = RANKING_POLICY
