from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "claims"

    def ready(self) -> None:
        from accounts import navigation, start
        from accounts.roles import Role
        from claims.selectors import households_sampled_for
        from families.access import Sight, register_sight

        finance, auditor, coordinator = Role.FINANCE_OFFICER, Role.AUDITOR, Role.COORDINATOR
        navigation.register("Claims", "claims:windows", finance, auditor, coordinator)
        start.register(
            "Results ready to claim", "claims:ready", finance, coordinator, group=start.CLAIM
        )
        start.register(
            "Claim windows and packs",
            "claims:windows",
            finance,
            auditor,
            coordinator,
            group=start.CLAIM,
        )
        start.register("All claims", "claims:claims", finance, auditor, group=start.CLAIM)
        start.register(
            "Income and commitments", "claims:income", finance, coordinator, group=start.CLAIM
        )
        start.register(
            "Rate card", "claims:rates", finance, auditor, Role.ADMINISTRATOR, group=start.CLAIM
        )
        # The auditors' spot checks open the sampled families' case files, read only.
        register_sight(auditor, Sight.CASE_FILE, households_sampled_for)
