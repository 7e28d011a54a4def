"""Forms of the trip pages; the services check what a form cannot (the plan's own rules)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from oncoroute.trips.models import Booking

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_DATE = forms.DateInput(attrs={"type": "date"})


def _money(label: StrOrPromise, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=Decimal(0), max_digits=12, decimal_places=2, required=required
    )


class JourneyForm(forms.Form):
    """The journey figures, in the accepted quote's currency."""

    earliest_arrival = forms.DateField(
        label=_("Earliest day the patient can land in the clinic's city"), widget=_DATE
    )
    one_way_fare = _money(_("One person's one-way fare"))
    travellers = forms.IntegerField(
        label=_("Travellers (the patient and companions)"), min_value=1, max_value=10, initial=2
    )
    per_night = _money(_("Accommodation per night (the whole party)"))
    transfers = _money(_("Airport transfers, all trips"), required=False)
    interpreter = _money(_("Interpreter, all trips"), required=False)
    home_stay_min_days = forms.IntegerField(
        label=_("Fewest days at home that make flying home between sessions worth it"),
        min_value=1,
        max_value=365,
        initial=7,
    )


class MoveForm(forms.Form):
    outbound = forms.DateField(label=_("Fly out on"), widget=_DATE)


class BookingForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=Booking.Kind.choices)
    starts_on = forms.DateField(label=_("Date (the first night for a stay)"), widget=_DATE)
    ends_on = forms.DateField(label=_("Last morning (a stay only)"), widget=_DATE, required=False)
    details = forms.CharField(label=_("Details (flight, hotel)"), max_length=300, required=False)
    cost = _money(_("Cost"), required=False)
