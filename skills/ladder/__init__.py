"""Career ladders as documents: export tracks to JSON or YAML, import them back by slug.

The format is described in docs/ladder-format.md and its structure in ladder.schema.json.
Import is all-or-nothing and idempotent: the whole document is checked first (structure with
jsonschema, then references against the document itself and the database), and only then
written, in one transaction, creating or updating by slug. Import never deletes a row: a role,
transition or requirement left out of a file stays until an admin removes it.

- reading: parse a JSON or YAML file
- errors: LadderError and the wording of each problem
- validation: the schema check and the reference checks
- writing: import_ladder, the transaction that creates or updates rows
- export: export_ladder and dump_ladder
"""

from skills.ladder.document import FORMAT, SCHEMA_PATH, VERSION
from skills.ladder.errors import LadderError
from skills.ladder.export import dump_ladder, export_ladder
from skills.ladder.reading import load_ladder_file
from skills.ladder.validation import schema_errors
from skills.ladder.writing import KINDS, ImportResult, import_ladder

__all__ = [
    "FORMAT",
    "KINDS",
    "SCHEMA_PATH",
    "VERSION",
    "ImportResult",
    "LadderError",
    "dump_ladder",
    "export_ladder",
    "import_ladder",
    "load_ladder_file",
    "schema_errors",
]
