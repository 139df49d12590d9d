from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand

LADDERS_DIR = Path(__file__).resolve().parents[2] / "ladders"


class Command(BaseCommand):
    help = "Load the ladders shipped in skills/ladders/ (safe to run again: import is by slug)."

    def handle(self, *args, **options) -> None:
        # In name order: a file whose transitions lead into another file's track must sort after
        # that file, since import needs the role a transition leads to to exist.
        files = sorted(p for p in LADDERS_DIR.glob("*") if p.suffix in (".json", ".yaml", ".yml"))
        for path in files:
            call_command("import_ladder", str(path), stdout=self.stdout, stderr=self.stderr)
        if not files:
            self.stdout.write("No shipped ladders to load.")
