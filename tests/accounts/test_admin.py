"""The operator attaches a clinic doctor to their clinic in the admin, and sees a clinic's
doctors on the clinic's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from oncoroute.accounts.models import User
from oncoroute.accounts.roles import Role
from oncoroute.clinics.models import Clinic
from tests.clinics.builders import clinic
from tests.factories import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db: None) -> Client:
    user = person(Role.ADMIN, "admin@oncoroute.example", first_name="Ada")
    user.is_staff = user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clinic_x(db: None) -> Clinic:
    return clinic("clinic-x", name="Clinic X", country="TR")


def change_form_data(operator: Client, user: User) -> dict[str, Any]:
    """What the user's admin page would send back unchanged."""
    response = operator.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list):
            data[name] = [str(item) for item in value]
        elif value is True:
            data[name] = "on"
        else:
            data[name] = str(value)
    for name in ("date_joined", "last_login"):
        stamp = getattr(user, name)
        if stamp is not None:
            data[f"{name}_0"], data[f"{name}_1"] = stamp.strftime("%Y-%m-%d %H:%M:%S").split()
    return data


def test_the_operator_attaches_a_doctor_to_a_clinic(operator: Client, clinic_x: Clinic) -> None:
    doctor = person(Role.CLINIC_DOCTOR, "doctor@clinic-x.example", first_name="Xavier")
    page = operator.get(reverse("admin:accounts_user_change", args=[doctor.pk]))
    assert 'name="clinic"' in page.content.decode()

    data = {**change_form_data(operator, doctor), "clinic": str(clinic_x.pk)}
    response = operator.post(reverse("admin:accounts_user_change", args=[doctor.pk]), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    doctor.refresh_from_db()
    assert doctor.clinic == clinic_x
    listing = operator.get(
        reverse("admin:accounts_user_changelist"), {"clinic__id__exact": clinic_x.pk}
    )
    assert doctor.email in listing.content.decode()


def test_only_a_clinic_doctor_belongs_to_a_clinic(operator: Client, clinic_x: Clinic) -> None:
    coordinator = person(Role.COORDINATOR, "cora@test.example", first_name="Cora")
    data = {**change_form_data(operator, coordinator), "clinic": str(clinic_x.pk)}
    response = operator.post(reverse("admin:accounts_user_change", args=[coordinator.pk]), data)
    assert response.status_code == 200
    assert "Only a clinic doctor belongs to a clinic." in response.content.decode()
    coordinator.refresh_from_db()
    assert coordinator.clinic is None


def test_a_clinics_admin_page_lists_its_doctors(operator: Client, clinic_x: Clinic) -> None:
    ours = person(Role.CLINIC_DOCTOR, "doctor@clinic-x.example", first_name="Xavier")
    theirs = person(Role.CLINIC_DOCTOR, "doctor@clinic-y.example", first_name="Yusuf")
    User.objects.filter(pk=ours.pk).update(clinic=clinic_x)
    page = operator.get(reverse("admin:clinics_clinic_change", args=[clinic_x.pk])).content.decode()
    assert ours.email in page and theirs.email not in page
    assert reverse("admin:accounts_user_change", args=[ours.pk]) in page
