from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = "Goals and reminders"

    def ready(self) -> None:
        from goals.portability.printing import plan_print_section
        from goals.sections import dashboard_goals_section, plan_goals_section
        from plans.sections import Page, register

        register(Page.PLAN, plan_goals_section)
        register(Page.DASHBOARD, dashboard_goals_section)
        register(Page.PRINT, plan_print_section)

        from goals import signals
        from goals.reminders import signals as reminder_signals

        signals.connect()
        reminder_signals.connect()
