from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Career plans"

    def ready(self) -> None:
        from plans import signals

        signals.connect()
