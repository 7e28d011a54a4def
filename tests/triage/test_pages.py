from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from oncoroute.cases.models import Case, CaseEvent
from oncoroute.cases.services import case_transition
from oncoroute.cases.tasks import case_emergency_advice_send
from oncoroute.triage.forms import LESION_SLOTS
from oncoroute.triage.models import TriageSnapshot
from oncoroute.triage.services import case_triage_record
from tests.factories import submitted_case

pytestmark = pytest.mark.django_db

UNSTABLE_LESION = {
    "levels": ["L1"],
    "pain": "mechanical",
    "lesion_type": "lytic",
    "alignment": "subluxation",
    "collapse": "gt50",
    "posterolateral": "bilateral",
}  # SINS 3 + 3 + 2 + 4 + 3 + 3 = 18
INDETERMINATE_LESION = {**UNSTABLE_LESION, "alignment": "normal", "posterolateral": "none"}  # 11


@pytest.fixture
def coordinator_client(client: Client, coordinator: Any, password: str) -> Client:
    client.login(username=coordinator.username, password=password)
    return client


def findings_post(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"form-TOTAL_FORMS": "4", "form-INITIAL_FORMS": "0"}
    data.update(fields)
    return data


def test_the_findings_form_starts_from_the_requests_red_flags(
    coordinator_client: Client,
) -> None:
    case = submitted_case(symptoms=["limb_weakness", "fatigue"])
    form = coordinator_client.get(reverse("case_findings", args=[case.reference])).context["form"]
    assert form.initial["red_flags"] == ["limb_weakness"]
    assert form.initial["primary"] == "breast"


def test_a_lung_primary_asks_for_its_subtype(coordinator_client: Client) -> None:
    case = submitted_case(primary_cancer="lung")
    page = coordinator_client.get(reverse("case_findings", args=[case.reference]))
    assert "primary" not in page.context["form"].initial
    assert "choose its subtype" in page.content.decode()


def test_a_primary_not_known_yet_is_not_a_cancer_of_unknown_primary(
    coordinator_client: Client,
) -> None:
    case = submitted_case(primary_cancer="unknown")
    form = coordinator_client.get(reverse("case_findings", args=[case.reference])).context["form"]
    assert "primary" not in form.initial


def test_saving_findings_stores_a_snapshot_and_an_event(
    coordinator_client: Client, coordinator: Any
) -> None:
    case = submitted_case()
    response = coordinator_client.post(
        reverse("case_findings", args=[case.reference]),
        findings_post(
            primary="breast",
            kps="80",
            **{"form-0-levels": ["T7", "T8"], "form-0-pain": "mechanical"},
        ),
    )
    assert response.status_code == 302
    snapshot = TriageSnapshot.objects.get(case=case)
    assert snapshot.findings == {
        "primary": "breast",
        "kps": 80,
        "lesions": [{"levels": ["T7", "T8"], "pain": "mechanical"}],
    }
    assert snapshot.report["summary"]["sins"] is None  # four SINS components unknown
    assert "lesions[0].lesion_type" in snapshot.report["needs"]
    event = case.events.get(kind=CaseEvent.Kind.TRIAGE_RECORDED)
    assert (event.actor, event.data["snapshot_id"]) == (coordinator, snapshot.pk)


def test_invalid_findings_show_the_cores_message_and_store_nothing(
    coordinator_client: Client,
) -> None:
    case = submitted_case()
    response = coordinator_client.post(
        reverse("case_findings", args=[case.reference]), findings_post(kps="80", ecog="3")
    )
    assert response.status_code == 422
    assert "KPS 80 corresponds to ECOG 1" in str(response.context["form"].errors["kps"])
    assert not TriageSnapshot.objects.exists()


def test_a_lesion_without_levels_is_refused_beside_the_lesion(coordinator_client: Client) -> None:
    case = submitted_case()
    response = coordinator_client.post(
        reverse("case_findings", args=[case.reference]), findings_post(**{"form-1-pain": "none"})
    )
    assert response.status_code == 422
    assert "at least 1 item" in str(response.context["lesion_forms"][1].errors["levels"])


@pytest.mark.parametrize("total", ["5", "100000"])
def test_more_lesion_forms_than_the_slots_are_refused_unbuilt(
    coordinator_client: Client, total: str
) -> None:
    case = submitted_case()
    lesions = {f"form-{i}-levels": ["T7"] for i in range(5)}
    response = coordinator_client.post(
        reverse("case_findings", args=[case.reference]),
        findings_post(**{"form-TOTAL_FORMS": total, **lesions}),
    )
    assert response.status_code == 422
    lesion_forms = response.context["lesion_forms"]
    assert len(lesion_forms.forms) <= LESION_SLOTS
    assert f"at most {LESION_SLOTS}" in str(lesion_forms.non_form_errors())
    assert not TriageSnapshot.objects.exists()


def test_earlier_snapshots_are_kept_and_compared(
    coordinator_client: Client, coordinator: Any
) -> None:
    case = submitted_case()
    case_triage_record(case=case, actor=coordinator, findings={"lesions": [INDETERMINATE_LESION]})
    case_triage_record(case=case, actor=coordinator, findings={"lesions": [UNSTABLE_LESION]})
    assert case.triage_snapshots.count() == 2
    page = coordinator_client.get(reverse("case_triage_history", args=[case.reference]))
    changed = {key for key, _, differs in page.context["rows"] if differs}
    assert {"SINS", "SINS band"} <= changed
    assert "rules_version" not in changed


def test_the_queue_orders_by_the_triage_report(
    coordinator: Any, coordinator_client: Client
) -> None:
    rest = submitted_case(address="r1")
    indeterminate = submitted_case(address="r2")
    unstable = submitted_case(address="r3")
    emergency = submitted_case(address="r4")
    indeterminate_findings = {"lesions": [INDETERMINATE_LESION]}
    case_triage_record(case=indeterminate, actor=coordinator, findings=indeterminate_findings)
    case_triage_record(case=unstable, actor=coordinator, findings={"lesions": [UNSTABLE_LESION]})
    case_triage_record(case=emergency, actor=coordinator, findings={"red_flags": ["sensory_loss"]})
    page = coordinator_client.get(reverse("coordinator_queue")).context["page"]
    assert [c.pk for c in page] == [emergency.pk, unstable.pk, indeterminate.pk, rest.pk]
    assert Case.objects.get(pk=emergency.pk).urgency == "emergency_mscc"


def test_the_case_page_explains_each_score(coordinator_client: Client, coordinator: Any) -> None:
    case = submitted_case()
    case_triage_record(case=case, actor=coordinator, findings={"lesions": [UNSTABLE_LESION]})
    page = coordinator_client.get(reverse("coordinator_case", args=[case.reference]))
    html = page.content.decode()
    triage = page.context["triage"]
    sins = triage.scores[0]
    assert (sins.value_text, sins.band) == ("18", "unstable")
    assert "Fisher CG" in html  # the citation
    assert "Posterolateral involvement" in html  # a component of the breakdown
    assert 'class="vertebra unstable"' in html  # L1 coloured on the spine diagram


def test_the_printable_summary_fits_the_essentials(
    coordinator_client: Client, coordinator: Any
) -> None:
    case = submitted_case()
    case_triage_record(case=case, actor=coordinator, findings={"lesions": [UNSTABLE_LESION]})
    html = coordinator_client.get(reverse("case_triage_print", args=[case.reference])).content
    assert b"Triage summary" in html and b"<svg" in html and b"NOMS" in html


def test_a_patient_never_sees_scores(
    client: Client, patient: Any, password: str, coordinator: Any
) -> None:
    case = patient.cases.get()
    case_triage_record(case=case, actor=coordinator, findings={"lesions": [UNSTABLE_LESION]})
    client.login(username=patient.username, password=password)
    html = client.get(reverse("patient_case", args=[case.reference])).content.decode()
    for word in ("SINS", "Tokuhashi", "Tomita", "unstable", "NOMS", "prognosis"):
        assert word not in html
    assert client.get(reverse("case_triage_print", args=[case.reference])).status_code == 403


def test_referral_to_local_care_sends_the_advice(coordinator: Any) -> None:
    case = submitted_case(symptoms=["bladder_bowel_dysfunction"], email="flag@example.com")
    case_transition(case=case, actor=coordinator, to="referred_local_care", confirmed=True)
    assert case_emergency_advice_send.call(case_id=case.pk) == 1
    assert mail.outbox[-1].to == ["flag@example.com"]
    assert "emergency department today" in mail.outbox[-1].body
    assert case.events.filter(kind=CaseEvent.Kind.EMERGENCY_ADVICE_SENT).exists()
