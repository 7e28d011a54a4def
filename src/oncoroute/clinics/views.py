"""Directory pages: the public directory and clinic pages; a coordinator's find, compare and
shortlist for a case."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oncoroute.accounts.decorators import coordinator_required
from oncoroute.cases.models import Case
from oncoroute.cases.selectors import case_for_coordinator
from oncoroute.clinics import selectors, services
from oncoroute.clinics.forms import DirectoryFilterForm, MatchForm
from oncoroute.matching import RANKING_POLICY, THERAPY_TO_SERVICES
from oncoroute.triage.selectors import latest_triage

COMPARE_MAX = services.SHORTLIST_MAX


@login_not_required
def directory(request: HttpRequest) -> HttpResponse:
    """Every published clinic, filtered by country or service, with the ranking policy."""
    form = DirectoryFilterForm(request.GET or None, available=selectors.directory_countries())
    filters = form.cleaned_data if form.is_valid() else {}
    clinics = selectors.public_directory(
        country=filters.get("country", ""), service=filters.get("service", "")
    )
    context = {
        "form": form,
        "clinics": clinics,
        "policy": RANKING_POLICY,
        "today": timezone.localdate(),
        "service_filter": filters.get("service", ""),
    }
    return render(request, "clinics/directory.html", context)


PUBLIC_COMPARE_MAX = 3


@login_not_required
def clinic_compare(request: HttpRequest) -> HttpResponse:
    """Two or three clinics of the directory side by side, as each published them: services,
    prices in the clinic's own currency, waits, languages, verified credentials, and what the
    service is paid."""
    slugs = list(dict.fromkeys(request.GET.getlist("clinic")))
    clinics = selectors.clinics_by_slug(slugs=slugs) if len(slugs) <= PUBLIC_COMPARE_MAX else []
    today = timezone.localdate()
    context = {
        "clinics": clinics,
        "too_many": len(slugs) > PUBLIC_COMPARE_MAX,
        "most": PUBLIC_COMPARE_MAX,
        "today": today,
        "demo": selectors.demo_slugs(),
        "rows": selectors.service_rows(
            clinics, needed=frozenset(), currency="", rates=None, today=today
        ),
    }
    return render(request, "clinics/public_compare.html", context)


@login_not_required
def clinic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """One clinic: services, published prices, doctors, credentials, languages, disclosure."""
    clinic = selectors.clinic_public(slug=slug)
    today = timezone.localdate()
    rows = selectors.service_rows(
        [clinic], needed=frozenset(), currency="", rates=None, today=today
    )
    context = {"clinic": clinic, "rows": rows, "today": today, "now": timezone.now()}
    return render(request, "clinics/clinic.html", context)


def _therapy_choices(case: Case) -> list[tuple[str, str]]:
    return selectors.triage_therapies(snapshot=latest_triage(case=case))


def _match_form(
    request: HttpRequest, case: Case
) -> tuple[MatchForm, selectors.MatchRequest | None]:
    """The form, and the request it describes: the triage's therapies until submitted."""
    rates = selectors.exchange_rates_latest()
    currency = selectors.patient_currency(case=case)
    currencies = sorted(rates.rates) if rates else [currency]
    if currency not in currencies:
        currency = rates.base if rates else currency
    therapies = _therapy_choices(case)
    plan = selectors.triage_plan_therapies(snapshot=latest_triage(case=case))
    submitted = "currency" in request.GET
    form = MatchForm(
        request.GET if submitted else None,
        therapies=therapies,
        chosen=plan,
        currencies=currencies,
        currency=currency,
    )
    if not submitted and not plan:
        return form, None
    if not submitted:
        return form, selectors.MatchRequest(therapies=plan, currency=currency)
    return form, form.match_request() if form.is_valid() else None


def _match_context(request: HttpRequest, case: Case) -> dict[str, Any]:
    form, match_request = _match_form(request, case)
    context: dict[str, Any] = {"case": case, "form": form, "match_request": match_request}
    if match_request is None:
        return context
    try:
        result = selectors.case_clinic_matches(
            case=case, request=match_request, today=timezone.localdate()
        )
    except selectors.NoExchangeRates as error:
        context["error"] = str(error)
        return context
    need = match_request.need()
    context.update(
        result=result,
        need=need,
        needed=frozenset().union(*need.required) | need.optional,
        preferences=selectors.case_preferences(case=case, request=match_request),
        demo=selectors.demo_slugs(),
        query=_match_query(request),
        hidden=[(k, v) for k, values in request.GET.lists() if k != "clinic" for v in values],
        rates_source=selectors.exchange_rates_source(),
    )
    return context


def _match_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("clinic", None)
    return query.urlencode()


@coordinator_required
def case_clinics(request: HttpRequest, reference: str) -> HttpResponse:
    """Find clinics for a case: ranked with reasons, and the excluded with theirs."""
    case = case_for_coordinator(user=request.user, reference=reference)  # type: ignore[arg-type]
    context = _match_context(request, case)
    context["shortlist"] = selectors.case_shortlists(case=case).first()
    context["compare_max"] = COMPARE_MAX
    context["therapy_services"] = THERAPY_TO_SERVICES
    status = 422 if context["form"].is_bound and context["match_request"] is None else 200
    return render(request, "clinics/case_clinics.html", context, status=status)


@coordinator_required
def case_clinics_compare(request: HttpRequest, reference: str) -> HttpResponse:
    """Up to five clinics side by side, prices in the patient's currency."""
    case = case_for_coordinator(user=request.user, reference=reference)  # type: ignore[arg-type]
    slugs = request.GET.getlist("clinic")
    if not 1 <= len(set(slugs)) <= COMPARE_MAX:
        messages.error(
            request,
            _("Tick between 1 and %(most)s clinics to compare.") % {"most": COMPARE_MAX},
        )
        find = reverse("case_clinics", args=[case.reference])
        return redirect(f"{find}?{_match_query(request)}")
    context = _match_context(request, case)
    clinics = selectors.clinics_by_slug(slugs=slugs)
    result = context.get("result")
    ranked = {r.clinic_id: r for r in result.ranked} if result else {}
    currency = result.currency if result else selectors.patient_currency(case=case)
    context.update(
        clinics=clinics,
        ranks=[ranked.get(clinic.slug) for clinic in clinics],
        rows=selectors.service_rows(
            clinics,
            needed=context.get("needed", frozenset()),
            any_of=context["need"].required if "need" in context else (),
            currency=currency,
            rates=selectors.exchange_rates_latest(),
            today=timezone.localdate(),
        ),
        currency=currency,
        today=timezone.localdate(),
    )
    return render(request, "clinics/compare.html", context)


@require_POST
@coordinator_required
def case_shortlist_save(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_for_coordinator(user=request.user, reference=reference, for_write=True)  # type: ignore[arg-type]
    try:
        shortlist = services.shortlist_save(
            case=case,
            actor=request.user,  # type: ignore[arg-type]
            clinic_slugs=request.POST.getlist("clinic"),
        )
    except services.ShortlistRefused as error:
        messages.error(request, str(error))
        return redirect("case_clinics", reference=case.reference)
    names = ", ".join(item.clinic.name for item in shortlist.items.select_related("clinic"))
    messages.success(request, _("Shortlist saved: %(clinics)s.") % {"clinics": names})
    return redirect("coordinator_case", reference=case.reference)
