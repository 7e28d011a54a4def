"""Forms of the directory pages: the public filters, and the coordinator's matching request."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from oncoroute.clinics.labels import SERVICE_GROUP_LABELS, SERVICE_LABELS
from oncoroute.clinics.selectors import MatchRequest
from oncoroute.matching import SERVICE_GROUPS, SERVICES, THERAPY_TO_SERVICES

# Grouped, each service and group named in the reader's language (clinics.labels).
SERVICE_CHOICES = [
    (
        SERVICE_GROUP_LABELS.get(group, group),
        [(service, SERVICE_LABELS.get(service, SERVICES[service])) for service in services],
    )
    for group, services in SERVICE_GROUPS
]


class DirectoryFilterForm(forms.Form):
    """Narrow the public directory to one country or one service."""

    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("Any country")), *countries]
    )
    service = forms.ChoiceField(
        label=_("Service"), required=False, choices=[("", _("Any service")), *SERVICE_CHOICES]
    )

    def __init__(self, *args: Any, available: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the countries that have a clinic listed, named in the page's language and in its
        # alphabetical order.
        present = set(available)
        self.fields["country"].choices = [  # type: ignore[attr-defined]
            ("", _("Any country")),
            *((code, name) for code, name in countries if code in present),
        ]


class MatchForm(forms.Form):
    """What to match a case against: triage therapies (when triaged) or services, a budget."""

    therapies = forms.MultipleChoiceField(
        label=_("Therapies the plan needs"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The eligible therapies are alternatives. Ticked to start with: those of the NOMS "
            "recommendation. A clinic must offer every ticked therapy, and the estimate adds "
            "only the ticked ones."
        ),
    )
    required = forms.MultipleChoiceField(
        label=_("Required services"),
        required=False,
        choices=SERVICE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    optional = forms.MultipleChoiceField(
        label=_("Optional services (extra points)"),
        required=False,
        choices=SERVICE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    budget = forms.DecimalField(
        label=_("Budget"), required=False, min_value=Decimal(0), max_digits=14, decimal_places=2
    )
    currency = forms.ChoiceField(label=_("Currency"))

    def __init__(
        self,
        data: Any,
        *,
        therapies: list[tuple[str, str]],
        chosen: tuple[str, ...] = (),
        currencies: list[str],
        currency: str,
    ) -> None:
        initial = {"therapies": list(chosen), "currency": currency}
        super().__init__(data, initial=initial)
        therapy_field: forms.ChoiceField = self.fields["therapies"]  # type: ignore[assignment]
        therapy_field.choices = therapies
        currency_field: forms.ChoiceField = self.fields["currency"]  # type: ignore[assignment]
        currency_field.choices = [(c, c) for c in currencies]
        self.triaged = bool(therapies)
        if not self.triaged:
            del self.fields["therapies"]

    def match_request(self) -> MatchRequest:
        """The request the form describes; call after is_valid()."""
        data = self.cleaned_data
        return MatchRequest(
            therapies=tuple(t for t in data.get("therapies", []) if t in THERAPY_TO_SERVICES),
            required_services=() if self.triaged else tuple(data["required"]),
            optional_services=tuple(data["optional"]),
            budget=data["budget"],
            currency=data["currency"],
        )
