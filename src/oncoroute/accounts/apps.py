from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "oncoroute.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from oncoroute.accounts.sessions import on_user_logged_in

        user_logged_in.connect(on_user_logged_in, dispatch_uid="accounts.session_start")
