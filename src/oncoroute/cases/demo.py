"""Demo cases for `make run`, with the demo people and clinics; loading twice changes nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from oncoroute.accounts.demo import demo_people_load
from oncoroute.accounts.models import User
from oncoroute.cases.models import Case
from oncoroute.cases.services import (
    CaseRequest,
    case_assign,
    case_link_to_sender,
    case_submit,
    case_transition,
    request_link_awaited,
    request_link_token,
)
from oncoroute.cases.workflow import CaseState
from oncoroute.clinics.demo import clinics_demo_load
from oncoroute.triage.services import case_triage_record

DEMO_NAMESPACE = uuid.UUID("6f1f3a52-0c8e-4f59-9a53-2f3f5d1c2b7a")

# name, email, country, language, primary, regions, symptoms, wants, hours ago, path of states
DEMO_CASES: list[dict[str, Any]] = [
    dict(
        name="Anna Petrova",
        email="patient@oncoroute.example",
        country="KZ",
        language="ru",
        primary="breast",
        regions=["thoracic"],
        symptoms=["nocturnal_pain", "thoracic_or_cervical_pain"],
        wants=["online_consultation", "second_opinion"],
        hours=30,
        path=["in_review", "matching"],
        findings={
            "age": 52,
            "sex": "F",
            "primary": "breast",
            "kps": 80,
            "n_vertebral_mets": 2,
            "extraspinal_bone_mets": 1,
            "visceral_mets": "none",
            "escc": "1a",
            "frankel": "E",
            "ambulatory_independent": True,
            "albumin_g_dl": 3.9,
            "prior_rt_same_site": False,
            "red_flags": ["nocturnal_pain", "thoracic_or_cervical_pain"],
            "lesions": [
                {
                    "levels": ["T7", "T8"],
                    "pain": "mechanical",
                    "lesion_type": "lytic",
                    "alignment": "normal",
                    "collapse": "lt50",
                    "posterolateral": "unilateral",
                }
            ],
        },
    ),
    dict(
        name="Mehmet Yilmaz",
        email="mehmet.y@example.com",
        country="AZ",
        language="tr",
        primary="prostate",
        regions=["lumbar", "sacral"],
        symptoms=["limb_weakness", "gait_disturbance"],
        wants=["treatment"],
        hours=2,
        path=[],
    ),
    dict(
        name="Olga Ivanova",
        email="olga.i@example.com",
        country="UZ",
        language="ru",
        primary="lung",
        regions=["cervical"],
        symptoms=["severe_unremitting_pain"],
        wants=["diagnostic_checkup", "treatment"],
        hours=20,
        path=[],
    ),
    dict(
        name="James Carter",
        email="j.carter@example.com",
        country="GB",
        language="en",
        primary="kidney",
        regions=["thoracic", "lumbar"],
        symptoms=["mechanical_pain"],
        wants=["in_person_consultation"],
        hours=50,
        path=["in_review"],
        findings={
            "primary": "kidney",
            "kps": 70,
            "n_vertebral_mets": 1,
            "escc": "2",
            "frankel": "D",
            "visceral_mets": "none",
            "red_flags": [],
            "levels": ["T12", "L1"],
            "lesions": [
                {
                    "levels": ["L1"],
                    "pain": "mechanical",
                    "lesion_type": "lytic",
                    "alignment": "deformity",
                    "collapse": "gt50",
                    "posterolateral": "bilateral",
                }
            ],
        },
    ),
    dict(
        name="Dana Levi",
        email="dana.levi@example.com",
        country="CY",
        language="en",
        primary="myeloma",
        regions=["unknown"],
        symptoms=["fatigue"],
        wants=["second_opinion"],
        hours=6,
        path=[],
    ),
    dict(
        name="Sergei Morozov",
        email="s.morozov@example.com",
        country="GE",
        language="ru",
        primary="thyroid",
        regions=["thoracic"],
        symptoms=[],
        wants=["treatment"],
        hours=80,
        path=["in_review", "matching"],
    ),
    dict(
        name="Fatima Al-Sayed",
        email="fatima.as@example.com",
        country="AE",
        language="ar",
        primary="neuroendocrine",
        regions=["lumbar"],
        symptoms=["progressive_lumbar_pain"],
        wants=["treatment"],
        hours=12,
        path=["in_review"],
    ),
    dict(
        name="Petr Novak",
        email="p.novak@example.com",
        country="CZ",
        language="cs",
        primary="other",
        regions=["sacral"],
        symptoms=[],
        wants=["online_consultation"],
        hours=120,
        path=["in_review", "withdrawn"],
    ),
    dict(
        name="Lena Schmidt",
        email="lena.schmidt@example.com",
        country="DE",
        language="de",
        primary="breast",
        regions=["cervical", "thoracic"],
        symptoms=["bladder_bowel_dysfunction"],
        wants=["treatment"],
        hours=1,
        path=[],
    ),
    dict(
        name="Arman Sarsenov",
        email="arman.s@example.com",
        country="KZ",
        language="ru",
        primary="rectum",
        regions=["thoracic"],
        symptoms=["pain_on_straining"],
        wants=["diagnostic_checkup"],
        hours=40,
        path=[],
    ),
]


def _demo_case(index: int, spec: dict[str, Any], coordinator: User) -> bool:
    token = uuid.uuid5(DEMO_NAMESPACE, spec["email"])
    request = CaseRequest(
        submission_token=token,
        full_name=spec["name"],
        email=spec["email"],
        phone="",
        country=spec["country"],
        language=spec["language"],
        writer_role="patient" if index % 3 else "relative",
        primary_cancer=spec["primary"],
        primary_cancer_other="Chordoma" if spec["primary"] == "other" else "",
        spine_regions=spec["regions"],
        symptoms=spec["symptoms"],
        current_treatment="Hormone therapy since March." if index % 2 else "",
        past_treatment="Surgery and chemotherapy in 2024." if index % 2 == 0 else "",
        wants=spec["wants"],
        message="We would prefer a clinic where the staff speak our language.",
    )
    case, created = case_submit(request=request, source_address=f"demo-{index}")
    if not created:
        return False
    Case.objects.filter(pk=case.pk).update(
        created_at=timezone.now() - timedelta(hours=spec["hours"])
    )
    case.refresh_from_db()
    if request_link_awaited(case):
        # The demo patient's account exists already; the demo confirms the link for her.
        case = case_link_to_sender(reference=str(case.reference), token=request_link_token(case))
    if spec["path"]:
        case = case_assign(case=case, actor=coordinator, assignee=coordinator)
    if spec.get("findings"):
        case_triage_record(case=case, actor=coordinator, findings=spec["findings"])
    for state in spec["path"]:
        case = case_transition(
            case=case, actor=coordinator, to=state, confirmed=state == CaseState.WITHDRAWN
        )
    return True


@transaction.atomic
def demo_data_load() -> int:
    """Create the demo people and cases that do not exist yet; return how many cases were new."""
    clinics_demo_load()
    coordinator, _ = demo_people_load()
    return sum(_demo_case(i, spec, coordinator) for i, spec in enumerate(DEMO_CASES))
