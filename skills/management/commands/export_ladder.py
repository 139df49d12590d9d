from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from skills.ladder import dump_ladder, export_ladder
from skills.models import Track


class Command(BaseCommand):
    help = (
        "Export one or more tracks, with the skills, industries, certifications and goal templates they "
        "use, as a ladder file that import_ladder reads back (see docs/ladder-format.md)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("tracks", nargs="+", metavar="TRACK_SLUG")
        parser.add_argument(
            "--format",
            choices=["json", "yaml"],
            dest="fmt",
            help="default: from the -o file's extension, else json",
        )
        parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")

    def handle(self, *args, tracks: list[str], fmt: str | None, output: str | None, **options) -> None:
        found = {track.slug: track for track in Track.objects.filter(slug__in=tracks)}
        missing = [slug for slug in tracks if slug not in found]
        if missing:
            known = ", ".join(Track.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"unknown track: {', '.join(missing)} (known tracks: {known})")
        if fmt is None:
            fmt = "yaml" if output and Path(output).suffix.lower() in (".yaml", ".yml") else "json"
        text = dump_ladder(export_ladder(found.values()), fmt)
        if output is None:
            self.stdout.write(text, ending="")
            return
        Path(output).write_text(text, encoding="utf-8")
        self.stdout.write(f"Exported {', '.join(sorted(found))} to {output}")
