from django.apps import AppConfig


class AuditConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "audit"

    def ready(self) -> None:
        from accounts import navigation, start
        from accounts.roles import Role

        navigation.register("Audit log", "audit:log", Role.AUDITOR, Role.COORDINATOR)
        start.register(
            "Audit log", "audit:log", Role.AUDITOR, Role.COORDINATOR, group=start.RECORDS
        )
