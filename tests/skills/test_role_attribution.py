"""The public role page gives the attribution each standard's licence asks for when the role, a skill
it requires or a certification recommended for it comes from ESCO or O*NET (issue 27), and none
otherwise; the page costs the same queries either way."""

import re

import pytest
from django.core.management import call_command

from skills.models import Role, Track
from tests.factories import RoleFactory, RoleSkillFactory, SkillFactory
from tests.skills.test_taxonomy_ladder import HEAD, MANAGER, OWNER, _Quiet, draft

pytestmark = pytest.mark.django_db

ESCO_CREDIT = "This service uses the ESCO classification of the European Commission."
ONET_CREDIT = (
    "by the U.S. Department of Labor, Employment and Training Administration "
    '(<a href="https://www.dol.gov/agencies/eta">USDOL/ETA</a>). Used under the '
    '<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a> license.'
)
# The role with its track, then requirements with skills, industries, certifications, moves out, moves in.
ROLE_PAGE_QUERIES = 6


def drafted_role(standard: str, occupations: list[str], tmp_path) -> Role:
    out = tmp_path / f"{standard}.json"
    draft(standard, occupations, out, "--chain")
    call_command("import_ladder", str(out), stdout=_Quiet())
    return Role.objects.filter(standard=standard).order_by("level").last()


def text_of(page: str) -> str:
    """The page's words as a reader gets them: tags dropped, white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", "", page).split())


def test_a_role_drafted_from_esco_credits_esco(client, tmp_path, django_assert_num_queries):
    url = drafted_role("esco", [OWNER, MANAGER, HEAD], tmp_path).get_absolute_url()

    with django_assert_num_queries(ROLE_PAGE_QUERIES):
        page = client.get(url).content.decode()

    assert ESCO_CREDIT in text_of(page)
    assert '<a href="https://esco.ec.europa.eu/en">ESCO classification</a>' in page
    assert 'data-testid="attribution-onet"' not in page


def test_a_role_drafted_from_onet_credits_onet_with_its_release(client, tmp_path, settings):
    role = drafted_role("onet", ["13-1082.00", "11-2021.00", "11-1021.00"], tmp_path)
    page = client.get(role.get_absolute_url()).content.decode()
    assert ONET_CREDIT in page
    assert "information from the O*NET Database" in text_of(page)
    assert ESCO_CREDIT not in text_of(page)

    settings.ONET_DATABASE_VERSION = "29.1"
    page = client.get(role.get_absolute_url()).content.decode()
    assert "information from the O*NET 29.1 Database by the U.S. Department of Labor" in text_of(page)


def test_one_skill_from_a_standard_is_enough_for_its_credit(client):
    role = RoleFactory(title="Analyst")
    RoleSkillFactory(
        role=role, skill=SkillFactory(name="Critical thinking", standard="onet", external_id="2.A.2.a")
    )
    RoleSkillFactory(role=role, skill=SkillFactory(name="Our own skill"))

    page = client.get(role.get_absolute_url()).content.decode()

    assert 'data-testid="attribution-onet"' in page and 'data-testid="attribution-esco"' not in page


def test_the_shipped_ladders_pages_credit_no_standard_and_cost_the_same(client, django_assert_num_queries):
    call_command("load_demo_data", stdout=_Quiet())
    roles = list(Role.objects.filter(track__in=Track.objects.all()).select_related("track"))
    assert len(roles) > 10
    for role in roles:
        with django_assert_num_queries(ROLE_PAGE_QUERIES):
            page = client.get(role.get_absolute_url()).content.decode()
        assert 'data-testid="attribution' not in page, role
