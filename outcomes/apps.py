from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "outcomes"

    def ready(self) -> None:
        from accounts import navigation, start
        from accounts.roles import Role
        from casework.timeline import register_source
        from outcomes.timeline import result_entries

        navigation.register("Outcomes", "outcomes:close", Role.KEY_WORKER, Role.COORDINATOR)
        start.register(
            "Families close to a result",
            "outcomes:close",
            Role.KEY_WORKER,
            Role.COORDINATOR,
            group=start.PROGRESS,
        )
        register_source("result", result_entries)
