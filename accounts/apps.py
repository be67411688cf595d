from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from accounts import start
        from accounts.hardening import harden_third_party_forms
        from accounts.roles import Role
        from accounts.second_factor import remember_requirement
        from accounts.services import audit_lockout

        harden_third_party_forms()
        user_logged_in.connect(remember_requirement, dispatch_uid="tfp-second-factor")
        user_locked_out.connect(audit_lockout, dispatch_uid="tfp-audit-lockout")
        start.register(
            "Who was given sight of case files",
            "accounts:case_file_grants",
            Role.COORDINATOR,
            group=start.RECORDS,
        )
        start.register(
            "Sign-in security",
            "accounts:sign_in_security",
            Role.ADMINISTRATOR,
            group=start.ADMINISTER,
        )
