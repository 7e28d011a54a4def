"""The clinics' API: a clinic's system with its token lists, reads, moves and answers its own
referrals, and nothing else; tokens are shown once, stored hashed, revocable, expiring and
rate-limited."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from oncoroute.privacy.models import AuditEvent
from oncoroute.referrals.models import ClinicApiToken, Opinion, Referral, ReferralEvent
from oncoroute.referrals.tokens import IssuedToken, token_check, token_create, token_revoke
from oncoroute.referrals.workflow import ReferralStatus
from tests.referrals.conftest import TOTAL, answer, send

pytestmark = pytest.mark.django_db
LIST = "/api/clinic/referrals"


def one(referral: Referral) -> str:
    return f"{LIST}/{referral.pk}"


class Caller:
    """A clinic's system: every call carries its bearer token; every body is kept."""

    def __init__(self, token: str) -> None:
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        self.bodies: list[bytes] = []

    def get(self, path: str) -> Any:
        response = self.client.get(path)
        self.bodies.append(response.content)
        return response

    def post(self, path: str, body: Any) -> Any:
        response = self.client.post(path, json.dumps(body), content_type="application/json")
        self.bodies.append(response.content)
        return response


@pytest.fixture
def token_x(clinic_x: Any) -> IssuedToken:
    return token_create(clinic=clinic_x, name="Clinic X EHR", actor=None)


@pytest.fixture
def token_y(clinic_y: Any) -> IssuedToken:
    return token_create(clinic=clinic_y, name="Clinic Y EHR", actor=None)


@pytest.fixture
def system_x(token_x: IssuedToken) -> Caller:
    return Caller(token_x.token)


@pytest.fixture
def referral_y(consented: Any, clinic_y: Any, coordinator: Any) -> Referral:
    return send(consented, clinic_y, coordinator)


def identities(case: Any) -> list[bytes]:
    return [str(value).encode() for value in (case.full_name, case.email, case.reference)]


def assert_no_identity(bodies: list[bytes], case: Any) -> None:
    for body in bodies:
        for identity in identities(case):
            assert identity not in body


def fields_of(response: Any) -> set[str]:
    assert response.status_code == 422, response.content
    return {error["field"] for error in response.json()["detail"]}


# Tokens ----------------------------------------------------------------------------------------


def test_a_token_is_stored_only_as_its_hash(token_x: IssuedToken) -> None:
    row = ClinicApiToken.objects.get()
    assert token_x.token.startswith(f"onc_{row.prefix}_")
    assert row.secret_sha256 == hashlib.sha256(token_x.token.encode()).hexdigest()
    stored = json.dumps(list(ClinicApiToken.objects.values().get().values()), default=str)
    assert token_x.token not in stored
    assert token_x.token.split("_", 2)[2] not in stored
    assert token_check(token_x.token) == row


def test_the_command_shows_a_token_once_lists_without_it_and_revokes(
    clinic_x: Any, referral_x: Referral
) -> None:
    out = StringIO()
    call_command("clinic_token", "create", "--clinic", "clinic-x", "--name", "EHR", "--days", "30",
                 stdout=out)  # fmt: skip
    token = out.getvalue().strip().splitlines()[-1]
    row = ClinicApiToken.objects.get()
    assert row.expires_at is not None and row.clinic == clinic_x
    assert Caller(token).get(LIST).status_code == 200
    listed = StringIO()
    call_command("clinic_token", "list", "--clinic", "clinic-x", stdout=listed)
    assert row.prefix in listed.getvalue() and "active" in listed.getvalue()
    assert token not in listed.getvalue()
    call_command("clinic_token", "revoke", str(row.pk), stdout=StringIO())
    assert Caller(token).get(LIST).status_code == 401
    listed = StringIO()
    call_command("clinic_token", "list", "--clinic", "clinic-x", stdout=listed)
    assert "revoked" in listed.getvalue()


# The endpoints with a valid token ---------------------------------------------------------------


def test_the_list_holds_the_clinics_referrals_only(
    system_x: Caller, referral_x: Referral, referral_y: Referral, patient_case: Any
) -> None:
    response = system_x.get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["id"] == referral_x.pk
    assert item["status"] == "sent" and item["fhir_task_status"] == "requested"
    assert item["question"] == "Is SBRT suitable, or surgery first?"
    assert item["deadline"] and item["overdue"] is False
    assert_no_identity(system_x.bodies, patient_case)


def test_reading_a_referral_gives_the_de_identified_case_and_marks_it_opened(
    system_x: Caller, token_x: IssuedToken, referral_x: Referral, patient_case: Any
) -> None:
    response = system_x.get(one(referral_x))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "opened" and body["fhir_task_status"] == "received"
    assert set(body["case"]) == {
        "pseudonym", "age_band", "sex", "primary_cancer", "spine_regions", "triage",
        "country_of_residence", "question",
    }  # fmt: skip
    assert {move["to"] for move in body["moves"]} == {
        "accepted", "records_requested", "declined", "referred_onward",
    }  # fmt: skip
    opened = referral_x.events.get(kind=ReferralEvent.Kind.MOVED)
    assert opened.actor is None and opened.api_token == token_x.row
    read = AuditEvent.objects.filter(action="read", object_type="referrals.referral").get()
    assert read.actor_id is None and read.detail == {"api_token": token_x.row.pk}
    assert_no_identity(system_x.bodies, patient_case)


def test_the_clinics_moves_are_recorded_as_the_tokens(
    system_x: Caller, token_x: IssuedToken, referral_x: Referral, patient_case: Any
) -> None:
    accepted = system_x.post(f"{one(referral_x)}/moves", {"to": "accepted"})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    assert fields_of(system_x.post(f"{one(referral_x)}/moves", {"to": "declined"})) == {"reason"}
    declined = system_x.post(
        f"{one(referral_x)}/moves", {"to": "declined", "reason": "No SBRT slot this month."}
    )
    assert declined.status_code == 200 and declined.json()["fhir_task_status"] == "rejected"
    again = system_x.post(f"{one(referral_x)}/moves", {"to": "accepted"})
    assert again.status_code == 409
    referral_x.refresh_from_db()
    assert referral_x.status == ReferralStatus.DECLINED
    assert referral_x.reason == "No SBRT slot this month."
    moved = referral_x.events.filter(kind=ReferralEvent.Kind.MOVED)
    assert [(e.actor, e.api_token) for e in moved] == [(None, token_x.row)] * 2
    assert_no_identity(system_x.bodies, patient_case)


def test_only_the_clinics_moves_are_open_to_its_system(
    system_x: Caller, referral_x: Referral
) -> None:
    for to in ("withdrawn", "opened", "answered", "sent", "nonsense"):
        assert fields_of(system_x.post(f"{one(referral_x)}/moves", {"to": to})) == {"to"}
    assert fields_of(
        system_x.post(f"{one(referral_x)}/moves", {"to": "accepted", "by": "someone"})
    ) == {"by"}
    referral_x.refresh_from_db()
    assert referral_x.status == ReferralStatus.SENT


def test_an_answer_makes_an_exact_quote_kept_from_the_patient(
    system_x: Caller, token_x: IssuedToken, referral_x: Referral, patient_case: Any
) -> None:
    response = system_x.post(f"{one(referral_x)}/answers", answer())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["referral"]["status"] == "answered" and body["quote_version"] == 1
    assert (body["currency"], body["total"]) == ("EUR", str(TOTAL))
    opinion = Opinion.objects.get(referral=referral_x)
    assert opinion.author is None and opinion.released_at is None
    events = referral_x.events.exclude(kind=ReferralEvent.Kind.SENT)
    assert {e.kind for e in events} == {"opinion", "quote", "moved"}
    assert all(e.actor is None and e.api_token == token_x.row for e in events)
    second = system_x.post(f"{one(referral_x)}/answers", answer())
    assert second.status_code == 201 and second.json()["quote_version"] == 2
    assert_no_identity(system_x.bodies, patient_case)


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"lines": [{"item": 1, "description": "x", "quantity": 1, "unit_price": "-1"}]},
         {"quote.lines.0.unit_price"}),
        ({"lines": [{"item": 3, "description": "x", "quantity": 1, "unit_price": "1"}]},
         {"quote"}),
        ({"currency": "eur"}, {"quote.currency"}),
        ({"currency": "XTS"}, {"quote.currency"}),
        ({"valid_until": "2000-01-01"}, {"quote.valid_until"}),
        ({"included": "", "quantity_total": 3}, {"quote.included", "quote.quantity_total"}),
    ],
)  # fmt: skip
def test_a_bad_answer_is_refused_field_by_field(
    system_x: Caller, referral_x: Referral, change: dict[str, Any], fields: set[str]
) -> None:
    assert fields_of(system_x.post(f"{one(referral_x)}/answers", answer(**change))) == fields
    assert not Opinion.objects.exists()
    referral_x.refresh_from_db()
    assert referral_x.status == ReferralStatus.SENT


def test_an_opinion_needs_a_plan_in_the_vocabulary(system_x: Caller, referral_x: Referral) -> None:
    given = answer()
    given["opinion"]["items"][0]["service"] = "surgical_stabilization"
    assert fields_of(system_x.post(f"{one(referral_x)}/answers", given)) == {
        "opinion.items.0.service"
    }
    given["opinion"]["items"] = []
    assert "opinion.items" in fields_of(system_x.post(f"{one(referral_x)}/answers", given))
    assert not Opinion.objects.exists()


def test_a_withdrawn_referral_shows_no_case_and_takes_no_answer(
    system_x: Caller, referral_x: Referral, coordinator: Any
) -> None:
    from oncoroute.referrals.services import referral_move

    referral_move(referral=referral_x, actor=coordinator, to="withdrawn", reason="Patient chose.")
    read = system_x.get(one(referral_x))
    assert read.status_code == 200 and read.json()["case"] is None
    assert read.json()["moves"] == []
    assert system_x.post(f"{one(referral_x)}/answers", answer()).status_code == 409
    assert not Opinion.objects.exists()


# What a token cannot do -------------------------------------------------------------------------


def test_another_clinics_token_gets_a_404_and_changes_nothing(
    token_y: IssuedToken, referral_x: Referral, patient_case: Any
) -> None:
    system_y = Caller(token_y.token)
    assert system_y.get(LIST).json() == {"items": [], "count": 0}
    assert system_y.get(one(referral_x)).status_code == 404
    assert system_y.post(f"{one(referral_x)}/moves", {"to": "accepted"}).status_code == 404
    assert system_y.post(f"{one(referral_x)}/answers", answer()).status_code == 404
    referral_x.refresh_from_db()
    assert referral_x.status == ReferralStatus.SENT
    assert not Opinion.objects.exists()
    assert AuditEvent.objects.filter(action="denied", object_type="referrals.referral").count() == 3
    assert_no_identity(system_y.bodies, patient_case)


def every_call(referral: Referral) -> Iterator[tuple[str, str, Any]]:
    yield "GET", LIST, None
    yield "GET", one(referral), None
    yield "POST", f"{one(referral)}/moves", {"to": "accepted"}
    yield "POST", f"{one(referral)}/answers", answer()


def refused_everywhere(caller: Caller, referral: Referral) -> None:
    for method, path, body in every_call(referral):
        response = caller.get(path) if method == "GET" else caller.post(path, body)
        assert response.status_code == 401, (method, path, response.content)
        assert response.json() == {"detail": "Unauthorized"}
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_a_revoked_token_is_refused(token_x: IssuedToken, referral_x: Referral) -> None:
    token_revoke(token=token_x.row, actor=None)
    refused_everywhere(Caller(token_x.token), referral_x)
    refusals = AuditEvent.objects.filter(object_type="referrals.clinicapitoken", action="denied")
    assert {(e.object_id, e.detail["reason"]) for e in refusals} == {
        (token_x.row.prefix, "revoked")
    }


def test_an_expired_token_is_refused(token_x: IssuedToken, referral_x: Referral) -> None:
    ClinicApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    refused_everywhere(Caller(token_x.token), referral_x)


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer ", "Bearer onc_", "Token {token}", "Basic {token}", "Bearer {token}x",
     "Bearer {wrong}", "Bearer {token} {token}"],
)  # fmt: skip
def test_a_missing_or_malformed_token_is_refused(
    token_x: IssuedToken, referral_x: Referral, header: str
) -> None:
    prefix = token_x.token.split("_")[1]
    wrong = f"onc_{prefix}_{'A' * 43}"
    caller = Caller("")
    caller.client = Client(HTTP_AUTHORIZATION=header.format(token=token_x.token, wrong=wrong))
    refused_everywhere(caller, referral_x)


def test_a_signed_in_doctor_without_a_token_is_refused(doctor_x: Any, referral_x: Referral) -> None:
    caller = Caller("")
    caller.client = Client()
    caller.client.force_login(doctor_x)
    refused_everywhere(caller, referral_x)


def test_each_token_has_its_own_calls_per_minute(
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    system_x: Caller,
    token_y: IssuedToken,
    referral_x: Referral,
) -> None:
    settings.CLINIC_API_REQUESTS_PER_MINUTE = 3
    clock = SimpleNamespace(time=lambda: 6_000_030.0)
    monkeypatch.setattr("oncoroute.api.auth.time", clock)
    assert [system_x.get(LIST).status_code for _ in range(3)] == [200] * 3
    limited = system_x.get(one(referral_x))
    assert limited.status_code == 429 and limited["Retry-After"] == "30"
    assert limited.json() == {"detail": "Too many requests."}
    referral_x.refresh_from_db()
    assert referral_x.status == ReferralStatus.SENT  # the refused read did not open it
    assert Caller(token_y.token).get(LIST).status_code == 200
    clock.time = lambda: 6_000_060.0
    assert system_x.get(LIST).status_code == 200


def test_the_endpoints_are_in_the_openapi_schema_with_bearer_auth(coordinator: Any) -> None:
    client = Client()
    client.force_login(coordinator)
    schema = client.get("/api/openapi.json").json()
    assert schema["components"]["securitySchemes"]["ClinicTokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    operations = {
        (path, method): operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if path.startswith(LIST)
    }
    assert set(operations) == {
        (LIST, "get"),
        (LIST + "/{referral_id}", "get"),
        (LIST + "/{referral_id}/moves", "post"),
        (LIST + "/{referral_id}/answers", "post"),
    }
    for operation in operations.values():
        assert operation["security"] == [{"ClinicTokenAuth": []}]
        assert {"401", "422", "429"} <= set(operation["responses"])
