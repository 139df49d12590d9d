from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Career plans"

    def ready(self) -> None:
        from plans import signals
        from plans.ladder_reach import plans_by_role
        from skills.ladder.preview import register_plan_counter

        signals.connect()
        register_plan_counter(plans_by_role)  # the ladder import's preview counts the plans it reaches
