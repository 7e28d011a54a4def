"""The one typed reader of a check-in's sealed answer (`CheckIn.answers`), and which answers are
cord-compression warning signs."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from oncoroute.cases.vocabulary import Urgency, urgency_from_symptoms
from oncoroute.followup.vocabulary import VitalStatus


@dataclass(frozen=True)
class CheckInAnswers:
    """What the patient or relative told us. Every clinical answer is empty when a relative
    told us that the patient has died."""

    vital_status: str = VitalStatus.ALIVE
    pain: int | None = None
    walking: str = ""
    new_weakness: bool = False
    bladder_bowel: bool = False
    other_symptoms: str = ""
    response: str = ""

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> CheckInAnswers:
        known = {name: stored[name] for name in cls.__dataclass_fields__ if name in stored}
        return cls(**known)

    def to_stored(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def died(self) -> bool:
        return self.vital_status == VitalStatus.DIED

    @property
    def red_flags(self) -> list[str]:
        """The answers as the clinical core's red-flag ids (SPEC §7): new weakness, numbness or
        difficulty walking, and a change in bladder or bowel control."""
        flags = []
        if self.new_weakness:
            flags += ["limb_weakness", "sensory_loss", "gait_disturbance"]
        if self.bladder_bowel:
            flags.append("bladder_bowel_dysfunction")
        return flags

    @property
    def has_warning_signs(self) -> bool:
        """Signs of possible spinal cord compression, by the same NICE NG234 rule that screens
        the request form."""
        return urgency_from_symptoms(self.red_flags) == Urgency.EMERGENCY
