from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from oncoroute.cases.models import Case

pytestmark = pytest.mark.django_db


def form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "submission_token": str(uuid.uuid4()),
        "full_name": "Aigerim Bekova",
        "email": "aigerim@example.com",
        "phone": "+7 701 234 5678",
        "country": "KZ",
        "language": "ru",
        "writer_role": "relative",
        "patient_name": "Saule Bekova",
        "patient_age": "67",
        "patient_sex": "F",
        "primary_cancer": "breast",
        "spine_regions": ["thoracic", "lumbar"],
        "wants": ["online_consultation", "second_opinion"],
        "preferred_countries": ["TR", "KR"],
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_the_landing_page_shows_the_form_and_the_warning_signs(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="submission_token"' in page
    assert "New weakness in the legs or arms" in page
    assert "Loss of bladder or bowel control" in page


def test_a_valid_request_creates_a_case_and_shows_its_reference(client: Client) -> None:
    response = client.post("/", form_data(), follow=True)
    case = Case.objects.get()
    assert response.redirect_chain == [(reverse("request_received"), 302)]
    assert case.reference in response.content.decode()
    assert case.phone == "+77012345678"
    assert case.preferred_countries == ["TR", "KR"]


def test_a_warning_sign_puts_emergency_advice_first_on_the_confirmation(client: Client) -> None:
    response = client.post("/", form_data(warning_signs=["sensory_loss"]), follow=True)
    page = response.content.decode()
    assert Case.objects.get().urgency == "emergency_mscc"
    advice = page.index("Please seek emergency medical care today")
    assert advice < page.index("we have your request")


def test_bad_input_shows_errors_next_to_fields_and_saves_nothing(client: Client) -> None:
    response = client.post(
        "/", form_data(email="not-an-email", phone="12", consent="", spine_regions=[])
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert set(errors) == {"email", "phone", "consent", "spine_regions"}
    assert Case.objects.count() == 0


def test_email_or_phone_is_required(client: Client) -> None:
    response = client.post("/", form_data(email="", phone=""))
    assert "Please give an email address or a phone number." in response.content.decode()
    assert Case.objects.count() == 0


def test_other_primary_needs_its_name(client: Client) -> None:
    response = client.post("/", form_data(primary_cancer="other"))
    assert "primary_cancer_other" in response.context["form"].errors


def test_a_resent_form_creates_one_case(client: Client) -> None:
    data = form_data()
    client.post("/", data)
    client.post("/", data)
    assert Case.objects.count() == 1


def test_the_honeypot_turns_bots_away_silently(client: Client) -> None:
    response = client.post("/", form_data(website="http://spam.example"))
    assert response.status_code == 302
    assert Case.objects.count() == 0


def test_overlong_text_is_refused(client: Client) -> None:
    response = client.post("/", form_data(message="x" * 4001))
    assert "message" in response.context["form"].errors
    assert Case.objects.count() == 0


def test_user_text_is_escaped_on_output(client: Client, coordinator: Any, password: str) -> None:
    client.post("/", form_data(full_name="<script>alert(1)</script>", message="<b>hi</b>"))
    client.login(username=coordinator.username, password=password)
    case = Case.objects.get()
    page = client.get(reverse("coordinator_case", args=[case.reference])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_confirmation_shows_nothing_to_another_browser(client: Client) -> None:
    client.post("/", form_data())
    stranger = Client()
    page = stranger.get(reverse("request_received")).content.decode()
    assert Case.objects.get().reference not in page


def test_too_many_requests_from_one_address_get_a_clear_message(
    client: Client, settings: Any
) -> None:
    settings.REQUEST_RATE_LIMIT_PER_HOUR = 1
    client.post("/", form_data())
    response = client.post("/", form_data())
    assert response.status_code == 422
    assert "several requests from your connection" in response.content.decode()
    assert Case.objects.count() == 1


def test_the_empty_form_drawn_once_still_follows_the_language_and_a_new_token_each_time(
    client: Client,
) -> None:
    token = re.compile(r'name="submission_token" value="([^"]+)"')
    english = [client.get("/").content.decode() for _ in range(2)]
    client.cookies["django_language"] = "ru"
    try:
        russian = client.get("/").content.decode()
    finally:
        translation.deactivate()
    assert "Full name" in english[1] and "Full name" not in russian
    assert "Имя и фамилия" in russian
    # The language we write in defaults to the page's, in the form drawn for that language.
    assert re.search(r'<option value="ru" selected>', russian)
    tokens = {token.search(page)[1] for page in [*english, russian]}  # type: ignore[index]
    assert len(tokens) == 3


def test_a_form_with_errors_is_drawn_with_what_was_typed_not_the_stored_empty_one(
    client: Client,
) -> None:
    client.get("/")
    answer = client.post("/", form_data(full_name="", phone="+7 701 999 0000"))
    assert answer.status_code == 422
    page = answer.content.decode()
    assert "+7 701 999 0000" in page
    assert 'aria-invalid="true"' in page or "errorlist" in page
