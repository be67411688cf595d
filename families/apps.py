from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "families"

    def ready(self) -> None:
        from accounts import navigation, start
        from accounts.roles import Role

        navigation.register("Identification", "families:identification_list", Role.COORDINATOR)
        navigation.register(
            "Eligibility runs", "families:run_list", Role.COORDINATOR, Role.DATA_OFFICER
        )
        navigation.register(
            "Imports", "families:import_history", Role.DATA_OFFICER, Role.COORDINATOR
        )
        start.register(
            "Identified families",
            "families:identification_list",
            Role.COORDINATOR,
            group=start.FIND,
        )
        start.register(
            "Import a partner extract",
            "families:import_upload",
            Role.DATA_OFFICER,
            Role.COORDINATOR,
            group=start.FIND,
        )
        start.register(
            "Import history",
            "families:import_history",
            Role.DATA_OFFICER,
            Role.COORDINATOR,
            group=start.FIND,
        )
        navigation.register(
            "Linking", "families:linking_overview", Role.DATA_OFFICER, Role.COORDINATOR
        )
        start.register(
            "Link partner records to people",
            "families:linking_overview",
            Role.DATA_OFFICER,
            Role.COORDINATOR,
            group=start.FIND,
        )
        start.register(
            "Local discretion: explore and choose concern types",
            "families:discretion_explorer",
            Role.COORDINATOR,
            group=start.FIND,
        )
        start.register(
            "Eligibility runs and recalculation",
            "families:run_list",
            Role.COORDINATOR,
            Role.DATA_OFFICER,
            group=start.FIND,
        )
