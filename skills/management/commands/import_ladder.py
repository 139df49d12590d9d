from django.core.management.base import BaseCommand, CommandError

from skills.ladder import LadderError, import_ladder, load_ladder_file


class Command(BaseCommand):
    help = (
        "Import a career ladder file (JSON or YAML; see docs/ladder-format.md). Creates or updates by "
        "slug, never deletes; all or nothing, so a file with any error changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="a .json, .yaml or .yml ladder file")

    def handle(self, *args, file: str, **options) -> None:
        try:
            result = import_ladder(load_ladder_file(file))
        except LadderError as exc:
            problems = "\n".join(f"  {line}" for line in exc.errors)
            raise CommandError(f"{file}: not imported, nothing was changed:\n{problems}") from exc
        self.stdout.write(f"{file}: {result}")
