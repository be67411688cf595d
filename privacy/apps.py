from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"

    def ready(self) -> None:
        from accounts import navigation, start
        from accounts.roles import Role

        navigation.register("Data protection", "privacy:people", Role.COORDINATOR)
        start.register(
            "Subject access and erasure requests",
            "privacy:people",
            Role.COORDINATOR,
            Role.KEY_WORKER,
            group=start.RECORDS,
        )
        start.register(
            "Erasure requests to decide",
            "privacy:erasure_requests",
            Role.COORDINATOR,
            group=start.RECORDS,
        )
        start.register(
            "Retention of closed cases",
            "privacy:retention",
            Role.COORDINATOR,
            Role.AUDITOR,
            group=start.RECORDS,
        )
        start.register(
            "Unusual access: the week's audit log, person by person",
            "privacy:unusual_access",
            Role.COORDINATOR,
            Role.AUDITOR,
            group=start.RECORDS,
        )
