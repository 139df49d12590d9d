"""The self-assessment puts the target role's skills first (issue 23, item 6): the path's other
skills (an engineer's, on the way into product management) are folded away, optional, and say they
do not count toward the gap."""

import pytest
from django.urls import reverse

from plans.models import SkillAssessment
from skills.models import Skill
from tests.factories import RoleFactory, RoleSkillFactory, SkillFactory, TransitionFactory


@pytest.fixture
def programming(ladder):
    """A skill the current role (Associate PM) requires and the target (Senior PM) does not."""
    skill = SkillFactory(name="Programming", slug="programming", category=Skill.Category.HARD)
    RoleSkillFactory(role=ladder.roles["apm"], skill=skill, level=3)
    return skill


def assess_url(plan) -> str:
    return reverse("plans:assess", args=[plan.pk])


def test_required_skills_come_first_and_the_others_are_folded_away(alice_client, plan, programming):
    response = alice_client.get(assess_url(plan))

    form = response.context["form"]
    counted = [s.name for _, rows in form.rows() for s, _, _ in rows]
    others = [s.name for _, rows in form.other_rows() for s, _, _ in rows]
    assert counted == ["Business strategy", "Market analysis", "Communication", "Leadership"]
    assert others == ["Programming"]
    html = response.content.decode()
    required = html.split('data-testid="counted-skills"')[1].split("</section>")[0]
    assert "Skills Senior Product Manager requires" in required and "Programming" not in required
    folded = html.split('data-testid="other-skills"')[1].split("</details>")[0]
    assert folded.startswith(">")  # closed: no `open` attribute
    summary = folded.split("<summary")[1].split("</summary>")[0]
    assert (
        "1 other skill on your path, optional: they do not count toward the gap to Senior Product Manager"
        in summary
    )
    assert 'data-skill="Programming"' in folded
    assert html.index('data-testid="counted-skills"') < html.index('data-testid="other-skills"')


def test_without_other_skills_nothing_is_folded(alice_client, plan):
    html = alice_client.get(assess_url(plan)).content.decode()

    assert 'data-testid="counted-skills"' in html and 'data-testid="other-skills"' not in html


def test_saving_only_the_required_skills_works(alice_client, plan, ladder, programming):
    data = {f"level_{skill.pk}": "2" for skill in ladder.skills.values()}
    response = alice_client.post(assess_url(plan), data)

    assert response.status_code == 302
    assessed = set(SkillAssessment.objects.filter(plan=plan).values_list("skill__slug", flat=True))
    assert assessed == {"strategy", "market", "communication", "leadership"}
    page = alice_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "4 of 4 required skills assessed" in page


def test_a_folded_skill_can_still_be_assessed_and_a_mistake_there_unfolds_it(alice_client, plan, programming):
    bad = alice_client.post(assess_url(plan), {f"level_{programming.pk}": "7"})
    assert bad.status_code == 200
    folded = bad.content.decode().split('data-testid="other-skills"')[1].split(">")[0]
    assert " open" in folded

    alice_client.post(assess_url(plan), {f"level_{programming.pk}": "3"})
    assert SkillAssessment.objects.get(plan=plan).skill == programming


def test_only_the_owner_assesses(client, bob_client, plan, programming):
    assert bob_client.get(assess_url(plan)).status_code == 404
    client.logout()
    response = client.get(assess_url(plan))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def path_with_skills(plan, ladder, size: int) -> None:
    """A second route through a role of its own, and ``size`` more skills, half of them the target's,
    each assessed."""
    on_the_way = RoleFactory(track=ladder.track, title="Platform PM", slug=f"platform-{size}", level=3)
    TransitionFactory(from_role=ladder.roles["apm"], to_role=on_the_way)
    TransitionFactory(from_role=on_the_way, to_role=ladder.roles["senior"])
    for i in range(size):
        skill = SkillFactory(name=f"Skill {size}-{i:02}", slug=f"skill-{size}-{i}")
        RoleSkillFactory(role=on_the_way if i % 2 else ladder.roles["senior"], skill=skill, level=2)
        SkillAssessment.objects.create(plan=plan, skill=skill, level=1)


def test_query_count_does_not_grow_with_the_skills(alice_client, plan, ladder, django_assert_max_num_queries):
    """10 queries: the session and the user; the plan, its target's requirements and its
    assessments (with_gap_data); the ladder's version, transitions and roles for the routes; the
    path's skills; the assessment history for the chart."""
    counts = []
    for size in (2, 20):
        path_with_skills(plan, ladder, size)
        with django_assert_max_num_queries(10) as captured:
            response = alice_client.get(assess_url(plan))
        assert response.status_code == 200
        assert len(response.context["form"].skills) == {2: 6, 20: 26}[size]  # 4, then each round's
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_each_skill_can_be_linked_to_as_the_requirement_notice_does(alice_client, plan, ladder, programming):
    """The plan page's notice of a newly required skill links to assess#skill-<id>: the row is there."""
    page = alice_client.get(assess_url(plan)).content.decode()
    for skill in [*ladder.skills.values(), programming]:
        assert f'id="skill-{skill.pk}"' in page
