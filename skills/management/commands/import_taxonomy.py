import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from skills.taxonomy.importing import taxonomy_import
from skills.taxonomy.models import Standard
from skills.taxonomy.reading import DownloadError


class Command(BaseCommand):
    help = (
        "Import a public skills standard's download into the taxonomy catalogue: ESCO's CSV files "
        "(occupations_<lang>.csv, skills_<lang>.csv, occupationSkillRelations_<lang>.csv) or "
        "O*NET's text files (Occupation Data.txt, Skills.txt). Updates rows by the standard's "
        "ids; all or nothing, so a file with any error changes nothing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("standard", choices=Standard.values)
        parser.add_argument("directory", help="the folder holding the unpacked download")
        parser.add_argument("--language", default="en", help="ESCO's language suffix (default: en)")

    def handle(self, *args, standard: str, directory: str, language: str, **options) -> None:
        self._tty = sys.stderr.isatty()
        try:
            counts = taxonomy_import(
                standard=standard,
                directory=Path(directory),
                language=language,
                progress=self._progress,
            )
        except DownloadError as exc:
            raise CommandError(f"{exc}\nNot imported: nothing was changed.") from exc
        self.stdout.write(f"{Standard(standard).label}: {counts}.")

    def _progress(self, name: str, rows: int, fraction: float) -> None:
        width = 30
        bar = "#" * round(fraction * width)
        line = f"{name}: [{bar:<{width}}] {fraction:4.0%} {rows:,} rows"
        if self._tty:
            end = "\n" if fraction >= 1 else ""
            self.stderr.write(f"\r{line}", ending=end)
        else:
            self.stderr.write(line)
