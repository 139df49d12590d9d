"""`manage.py import_ladder` refuses a YAML number not written in decimal (0x1F, 0b101, 017,
1:30), naming the entry and the field, and writes nothing: int() of such text was a traceback.
The admin's upload: tests/skills/test_admin_ladder_upload.py."""

import pytest
from django.core.management import CommandError, call_command

from skills.models import Track
from tests.skills.test_ladder_reading_limits import ladder_yaml

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("level", ["0x1F", "0b101", "017", "1:30"])
def test_the_command_refuses_a_yaml_number_not_written_in_decimal(tmp_path, level):
    path = tmp_path / "ladder.yaml"
    path.write_text(ladder_yaml(level=level))

    with pytest.raises(CommandError) as refused:
        call_command("import_ladder", str(path))

    assert str(refused.value) == (
        f"{path}: not imported, nothing was changed:\n  tracks[0].roles[0] (analyst): level: not a number "
        "written in decimal (YAML reads 0x1F, 0b101, 017 and 1:30 as hexadecimal, binary, octal and base 60); "
        "write numbers in a ladder file in decimal, or text in quotes"
    )
    assert not Track.objects.exists()
