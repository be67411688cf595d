from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboards"

    def ready(self) -> None:
        from accounts import navigation, start
        from accounts.roles import Role

        coordinator, key_worker, finance = Role.COORDINATOR, Role.KEY_WORKER, Role.FINANCE_OFFICER
        navigation.register("Dashboards", "dashboards:index", coordinator, key_worker, finance)
        start.register(
            "Progress against commitments and targets",
            "dashboards:progress",
            coordinator,
            group=start.PROGRESS,
        )
        start.register(
            "Key-worker caseloads", "dashboards:caseloads", coordinator, group=start.PROGRESS
        )
        start.register("Value for money", "dashboards:value", coordinator, group=start.PROGRESS)
        start.register("My dashboard", "dashboards:key_worker", key_worker, group=start.PROGRESS)
        start.register(
            "Finance dashboard", "dashboards:finance", finance, coordinator, group=start.PROGRESS
        )
