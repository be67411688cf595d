from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    """The work recorded on an attached family's case file: consent, assessment, the plan and
    its reviews, interventions and the family budget, case notes, tasks, closure, the timeline.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "casework"

    def ready(self) -> None:
        from accounts import navigation, start
        from accounts.roles import Role
        from casework.break_glass import households_under_break_glass
        from families.access import Sight, register_sight

        # A key worker's emergency access reads a case file; it never records on one.
        register_sight(Role.KEY_WORKER, Sight.CASE_FILE, households_under_break_glass)

        navigation.register("My caseload", "casework:caseload", Role.KEY_WORKER)
        navigation.register("Caseloads", "casework:caseloads", Role.COORDINATOR)
        start.register("My caseload", "casework:caseload", Role.KEY_WORKER, group=start.WORK)
        start.register("Every caseload", "casework:caseloads", Role.COORDINATOR, group=start.WORK)
        start.register(
            "Families awaiting a key worker",
            "casework:allocation_queue",
            Role.COORDINATOR,
            group=start.WORK,
        )
        start.register(
            "Budget and closure decisions",
            "casework:decision_queue",
            Role.COORDINATOR,
            group=start.WORK,
        )
        start.register(
            "Intervention catalogue",
            "casework:intervention_types",
            Role.COORDINATOR,
            group=start.WORK,
        )
        start.register(
            "Emergency access to a case file",
            "casework:break_glass_new",
            Role.KEY_WORKER,
            group=start.WORK,
        )
        start.register(
            "Emergency access to review",
            "casework:break_glass_queue",
            Role.COORDINATOR,
            group=start.WORK,
        )
