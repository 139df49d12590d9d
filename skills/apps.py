from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "skills"
    verbose_name = "Career framework"

    def ready(self) -> None:
        from skills import signals

        signals.connect()
