from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = "Goals and reminders"

    def ready(self) -> None:
        from goals.sections import plan_goals_section
        from plans.sections import register

        register(plan_goals_section)
