from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from skills.ladder import dump_ladder, schema_errors
from skills.taxonomy.drafting import UnknownOccupation, ladder_draft
from skills.taxonomy.models import Standard


class Command(BaseCommand):
    help = (
        "Draft a ladder file from occupations in the taxonomy catalogue (import_taxonomy first): "
        "one role per --occupation, in the order given, at levels 1..n, with the skills each "
        "needs at levels mapped as docs/taxonomies.md says. Import it with import_ladder or the "
        "admin's upload."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("standard", choices=Standard.values)
        parser.add_argument(
            "--occupation",
            action="append",
            required=True,
            dest="occupations",
            metavar="ID",
            help="an ESCO occupation URI or an O*NET-SOC code; repeat, lowest role first",
        )
        parser.add_argument("--track", required=True, metavar="NAME", help="the track's name")
        parser.add_argument("--out", required=True, metavar="FILE", help=".json, .yaml or .yml")
        parser.add_argument("--chain", action="store_true", help="a transition from each role to the next")

    def handle(self, *args, standard, occupations, track, out, chain, **options) -> None:
        if len(set(occupations)) != len(occupations):
            raise CommandError("an occupation is named twice; each is one role")
        try:
            document = ladder_draft(standard=standard, occupation_ids=occupations, track=track, chain=chain)
        except UnknownOccupation as exc:
            raise CommandError(
                f"{exc}. Import the download first: manage.py import_taxonomy {standard} DIR"
            ) from exc
        problems = schema_errors(document)
        if problems:
            raise CommandError("the drafted ladder does not fit the format:\n" + "\n".join(problems))
        fmt = "yaml" if Path(out).suffix.lower() in (".yaml", ".yml") else "json"
        Path(out).write_text(dump_ladder(document, fmt), encoding="utf-8")
        roles = document["tracks"][0]["roles"]
        needs = sum(len(role["requirements"]) for role in roles)
        self.stdout.write(
            f"Wrote {out}: {len(roles)} roles, {len(document['skills'])} new skills, "
            f"{needs} skill requirements. Import it: manage.py import_ladder {out}"
        )
