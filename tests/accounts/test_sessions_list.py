"""People see where they are signed in and can end their other sessions."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD
from tests.signin import sign_in

pytestmark = pytest.mark.django_db


def test_a_person_sees_each_session_and_ends_the_others(patient: Any) -> None:
    laptop = Client(HTTP_USER_AGENT="Laptop browser", REMOTE_ADDR="203.0.113.5")
    phone = Client(HTTP_USER_AGENT="Phone browser", REMOTE_ADDR="198.51.100.6")
    sign_in(laptop, patient, PASSWORD)
    sign_in(phone, patient, PASSWORD)

    page = laptop.get(reverse("usersessions_list")).content.decode()
    assert "Laptop browser" in page and "Phone browser" in page
    assert "198.51.100.6" in page

    laptop.post(reverse("usersessions_list"))
    assert laptop.get(reverse("patient_cases")).status_code == 302
    assert laptop.get(reverse("usersessions_list")).status_code == 200
    ended = phone.get(reverse("patient_cases"))
    assert ended["Location"].startswith(reverse("login"))


def test_nobody_sees_another_person_s_sessions(patient: Any, other_patient: Any) -> None:
    theirs = Client(HTTP_USER_AGENT="Someone else's browser")
    sign_in(theirs, other_patient, PASSWORD)
    mine = Client()
    sign_in(mine, patient, PASSWORD)
    assert "Someone else" not in mine.get(reverse("usersessions_list")).content.decode()
