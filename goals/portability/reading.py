"""Reading an uploaded export file, the import's first step (goals.portability.checking is next),
through the one document reader (base.documents), within an export's limits (docs/export-format.md,
"Limits"): a hostile or broken file is refused, with what and where, before anything else looks at
it. Places are written as paths only ("plans[0].goals[1].title"), never with the entry's title,
which may be the bad text.
"""

from base.document_limits import Limits
from base.documents import DocumentRefused, decode, read_json

LIMITS = Limits(document="an export", bytes=5 * 1024 * 1024)
MAX_BYTES = LIMITS.bytes
MAX_DEPTH = LIMITS.depth
MAX_ITEMS = LIMITS.items  # in any one list (a goal's check-ins: 43,000 fill a 5 MB file)
MAX_FIELDS = LIMITS.fields  # in any one object (an export's have at most 23)
MAX_TEXT = LIMITS.text  # characters in any one text
MAX_NAME = LIMITS.name  # characters in a field name
MAX_DIGITS = LIMITS.digits  # in a whole number
MAX_NUMBER = LIMITS.number  # characters of a number with a fraction or an exponent


class ImportRefused(ValueError):
    """A file that cannot be imported: one line per problem, naming the entry and the field."""

    def __init__(self, problems: str | list[str]) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


def read_text(raw: bytes) -> str:
    """The text of an uploaded file; ImportRefused if it is too large or not UTF-8."""
    try:
        return decode(raw, LIMITS)
    except DocumentRefused as refused:
        raise ImportRefused(refused.lines()) from None


def read_document(raw: bytes | str) -> dict:
    """The document in an uploaded file (its bytes, or its text from ``read_text``);
    ImportRefused if it is too large, not UTF-8 JSON, or past any of the limits."""
    try:
        document = read_json(raw if isinstance(raw, str) else decode(raw, LIMITS), LIMITS)
    except DocumentRefused as refused:
        raise ImportRefused(refused.lines()) from None
    if not isinstance(document, dict):
        raise ImportRefused("The file is JSON, but not a CareerPath export (an object with its plans).")
    return document
