from __future__ import annotations

from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "oncoroute.referrals"
    label = "referrals"
    verbose_name = "Referrals to clinics"

    def ready(self) -> None:
        from oncoroute.cases.sharing import consent_withdrawn
        from oncoroute.cases.workflow import requirement_register
        from oncoroute.referrals.requirements import answer_released, referral_sent
        from oncoroute.referrals.services import referral_withdraw_for_consent

        requirement_register("referral_sent", referral_sent)
        requirement_register("answer_released", answer_released)

        consent_withdrawn.connect(
            referral_withdraw_for_consent, dispatch_uid="referrals.withdraw_on_consent"
        )
