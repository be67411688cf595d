from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from accounts import start
        from accounts.roles import Role, ensure_role_groups
        from accounts.second_factor import remember_requirement
        from accounts.services import audit_lockout

        user_logged_in.connect(remember_requirement, dispatch_uid="tfp-second-factor")
        user_locked_out.connect(audit_lockout, dispatch_uid="tfp-audit-lockout")
        # Migration 0002 creates the role groups; a database flush (the test runner's, between
        # transactional tests) empties them, and then sends post_migrate: recreate them there.
        post_migrate.connect(ensure_role_groups, sender=self)
        start.register("Sign-in security", "accounts:sign_in_security", Role.ADMINISTRATOR)
