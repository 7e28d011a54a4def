from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "oncoroute.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from allauth.account.signals import email_changed
        from django.contrib.auth.signals import user_logged_in

        from oncoroute.accounts.services import on_email_changed
        from oncoroute.accounts.sessions import on_user_logged_in

        user_logged_in.connect(on_user_logged_in, dispatch_uid="accounts.session_start")
        email_changed.connect(on_email_changed, dispatch_uid="accounts.username_is_email")
