"""Second-opinion ratings (issue 24): the owner lets a mentor rate their skills, the mentor rates,
and only the owner's choice moves readiness and the gap."""

import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.deletion import account_delete
from accounts.names import display_name
from base import versions
from plans.models import CareerPlan, SkillAssessment
from plans.ratings.models import SkillRating
from plans.sharing.models import Share
from tests.conftest import make_user
from tests.factories import SkillFactory


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rate_url(plan) -> str:
    return reverse("plans:rate", args=[plan.pk])


def choose_url(plan) -> str:
    return reverse("plans:level_choose", args=[plan.pk])


def readiness_text(client, plan) -> str:
    html = client.get(plan.get_absolute_url()).content.decode()
    found = re.search(r'data-testid="readiness">([^<]+)<', html)
    assert found, "no readiness on the plan page"
    return found.group(1)


@pytest.fixture
def assessed(plan, ladder):
    """Alice assessed herself: strategy 3, market 1, communication 4, leadership 3 (Senior PM asks
    3, 4, 4, 3: 11 of 14 levels, 79 %)."""
    for slug, level in {"strategy": 3, "market": 1, "communication": 4, "leadership": 3}.items():
        SkillAssessment.objects.create(plan=plan, skill=ladder.skills[slug], level=level)
    return plan


@pytest.fixture
def rater_share(plan, mentor):
    """The mentor's share, with the owner's leave to rate."""
    return Share.objects.create(plan=plan, email=mentor.email, user=mentor, may_rate=True)


@pytest.fixture
def rater_client(rater_share, mentor):
    return signed_in(mentor)


def rate(client, plan, skill, level, note=""):
    return client.post(rate_url(plan), {"skill": str(skill.pk), "level": str(level), "note": note})


# --- The owner decides -------------------------------------------------------------------------


def test_an_invitation_does_not_let_rate_unless_the_owner_says_so(alice_client, plan):
    share_list = reverse("plans:share_list", args=[plan.pk])
    alice_client.post(share_list, {"email": "quiet@example.com"})
    alice_client.post(share_list, {"email": "rater@example.com", "may_rate": "on"})
    assert Share.objects.get(email="quiet@example.com").may_rate is False
    assert Share.objects.get(email="rater@example.com").may_rate is True


def test_the_owner_allows_and_stops_ratings_on_the_share_list(alice_client, plan, mentor_share):
    toggle = reverse("plans:share_may_rate", args=[plan.pk, mentor_share.pk])
    page = alice_client.get(reverse("plans:share_list", args=[plan.pk])).content.decode()
    assert "Does not rate your skills" in page and "Allow ratings" in page

    response = alice_client.post(toggle, {"may_rate": "1"}, follow=True)
    assert "may rate your skills" in response.content.decode()
    mentor_share.refresh_from_db()
    assert mentor_share.may_rate is True
    assert "Stop ratings" in response.content.decode()

    alice_client.post(toggle, {"may_rate": "0"})
    mentor_share.refresh_from_db()
    assert mentor_share.may_rate is False


# --- The mentor rates ------------------------------------------------------------------------


def test_a_mentor_allowed_to_rate_finds_the_page_from_the_plan(rater_client, plan, ladder):
    html = rater_client.get(plan.get_absolute_url()).content.decode()
    assert 'data-testid="rate-link"' in html
    page = rater_client.get(rate_url(plan)).content.decode()
    for skill in ladder.skills.values():  # every skill Senior PM requires
        assert skill.name in page


def test_a_mentor_rates_a_skill_with_a_note(rater_client, plan, ladder, mentor):
    response = rate(rater_client, plan, ladder.skills["market"], 3, "Ran the pricing study well")
    assert response.status_code == 302
    rating = SkillRating.objects.get()
    assert (rating.plan, rating.rater, rating.level, rating.note) == (
        plan,
        mentor,
        3,
        "Ran the pricing study well",
    )
    page = rater_client.get(rate_url(plan)).content.decode()
    assert "Your rating: <strong>3 · Practitioner</strong>" in page


def test_a_rating_changes_nothing_until_the_owner_chooses_it(alice_client, rater_client, assessed, ladder):
    market = ladder.skills["market"]
    before = readiness_text(alice_client, assessed)
    assert before == "79% ready"

    rate(rater_client, assessed, market, 4)

    assert readiness_text(alice_client, assessed) == before
    assert assessed.latest_assessments()[market.pk].level == 1  # her own answer untouched
    rating = SkillRating.objects.get()

    alice_client.post(choose_url(assessed), {"skill": market.pk, "choice": str(rating.pk)})

    assert readiness_text(alice_client, assessed) == "100% ready"
    page = alice_client.get(assessed.get_absolute_url()).content.decode()
    assert 'data-testid="counted-from">a mentor&#x27;s rating<' in page  # the gap table says whose
    fresh = CareerPlan.objects.with_gap_data().get(pk=assessed.pk)
    assert fresh.latest_assessments()[market.pk].level == 1  # still hers, beside the chosen level
    assert fresh.readiness().percent == 100  # the dashboard's and the digest's rule too


def test_the_assessment_page_shows_own_and_mentors_side_by_side(
    alice_client, rater_client, assessed, ladder, mentor
):
    rate(rater_client, assessed, ladder.skills["market"], 4, "Led the market sizing")
    html = alice_client.get(reverse("plans:assess", args=[assessed.pk])).content.decode()
    row = html[html.index('id="opinion-') :]
    row = row[: row.index("</form>")]
    assert "Yours: <strong>1</strong> · Awareness" in row
    assert f"{display_name(mentor)}: <strong>4</strong> · Advanced" in row
    assert "Led the market sizing" in row


def test_an_agreed_level_counts_and_choosing_own_goes_back(alice_client, rater_client, assessed, ladder):
    market = ladder.skills["market"]
    rate(rater_client, assessed, market, 4)
    alice_client.post(choose_url(assessed), {"skill": market.pk, "choice": "agreed", "agreed_level": "2"})
    assert readiness_text(alice_client, assessed) == "86% ready"  # 12 of 14

    alice_client.post(choose_url(assessed), {"skill": market.pk, "choice": "own"})
    assert readiness_text(alice_client, assessed) == "79% ready"


def test_a_later_rating_changes_nothing_the_owner_chose(alice_client, rater_client, assessed, ladder):
    market = ladder.skills["market"]
    rate(rater_client, assessed, market, 2)
    alice_client.post(choose_url(assessed), {"skill": market.pk, "choice": str(SkillRating.objects.get().pk)})
    assert readiness_text(alice_client, assessed) == "86% ready"

    rate(rater_client, assessed, market, 4)  # a new row; the first stays

    assert SkillRating.objects.count() == 2
    assert readiness_text(alice_client, assessed) == "86% ready"


def test_assessing_the_skill_again_makes_her_own_level_count(alice_client, rater_client, assessed, ladder):
    market = ladder.skills["market"]
    with time_machine.travel(timezone.now(), tick=False) as clock:
        rate(rater_client, assessed, market, 4)
        alice_client.post(
            choose_url(assessed), {"skill": market.pk, "choice": str(SkillRating.objects.get().pk)}
        )
        clock.shift(60)
        levels = {
            f"level_{s.pk}": str(assessed.latest_assessments()[s.pk].level) for s in ladder.skills.values()
        }
        alice_client.post(reverse("plans:assess", args=[assessed.pk]), {**levels, f"level_{market.pk}": "2"})
    assert readiness_text(alice_client, assessed) == "86% ready"  # her new 2, not the chosen 4


def test_the_history_says_who_rated_what_and_when_and_what_the_owner_chose(
    alice_client, rater_client, assessed, ladder, mentor
):
    market = ladder.skills["market"]
    rate(rater_client, assessed, market, 4, "Led the sizing")
    alice_client.post(choose_url(assessed), {"skill": market.pk, "choice": "agreed", "agreed_level": "3"})
    history = reverse("plans:history", args=[assessed.pk])
    owner_reads = alice_client.get(history).content.decode()
    assert "Rated Market analysis: Advanced" in owner_reads
    assert "Chose the level of Market analysis that counts: 3, as agreed" in owner_reads
    # Another mentor of the plan reads that it was rated, not the level.
    other = make_user("second.mentor@example.com", "x")
    Share.objects.create(plan=assessed, email=other.email, user=other)
    other_reads = signed_in(other).get(history).content.decode()
    assert "Rated Market analysis" in other_reads and "Rated Market analysis: Advanced" not in other_reads


# --- Who may ------------------------------------------------------------------------------


def test_a_mentor_without_leave_has_no_controls_and_a_crafted_post_is_refused(
    plan, ladder, mentor, mentor_share
):
    client = signed_in(mentor)
    assert 'data-testid="rate-link"' not in client.get(plan.get_absolute_url()).content.decode()
    assert client.get(rate_url(plan)).status_code == 403
    assert rate(client, plan, ladder.skills["market"], 5).status_code == 403
    assert not SkillRating.objects.exists()


def test_the_owner_is_sent_to_her_assessment(alice_client, plan):
    response = alice_client.get(rate_url(plan))
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:assess", args=[plan.pk])


def test_another_user_gets_404(bob_client, plan, ladder, rater_share):
    assert bob_client.get(rate_url(plan)).status_code == 404
    assert rate(bob_client, plan, ladder.skills["market"], 3).status_code == 404
    assert (
        bob_client.post(choose_url(plan), {"skill": ladder.skills["market"].pk, "choice": "own"}).status_code
        == 404
    )
    toggle = reverse("plans:share_may_rate", args=[plan.pk, rater_share.pk])
    assert bob_client.post(toggle, {"may_rate": "0"}).status_code == 404


def test_a_mentor_cannot_choose_nor_allow_herself(rater_client, plan, ladder, rater_share):
    assert (
        rater_client.post(
            choose_url(plan), {"skill": ladder.skills["market"].pk, "choice": "own"}
        ).status_code
        == 403
    )
    toggle = reverse("plans:share_may_rate", args=[plan.pk, rater_share.pk])
    assert rater_client.post(toggle, {"may_rate": "1"}).status_code == 403


@pytest.mark.parametrize("name", ["plans:rate", "plans:level_choose"])
def test_anonymous_is_sent_to_sign_in(client, plan, name):
    response = client.post(reverse(name, args=[plan.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_stopping_ratings_refuses_the_next_one_and_keeps_the_earlier(
    alice_client, rater_client, plan, ladder, rater_share
):
    rate(rater_client, plan, ladder.skills["market"], 3)
    alice_client.post(reverse("plans:share_may_rate", args=[plan.pk, rater_share.pk]), {"may_rate": "0"})
    assert rate(rater_client, plan, ladder.skills["market"], 4).status_code == 403
    assert SkillRating.objects.count() == 1


def test_revoking_hides_the_ratings_from_the_mentor_and_keeps_them_for_the_owner(
    alice_client, rater_client, plan, ladder, rater_share, mentor
):
    rate(rater_client, plan, ladder.skills["market"], 3, "Seen in the pricing study")
    alice_client.post(reverse("plans:share_revoke", args=[plan.pk, rater_share.pk]))
    assert rater_client.get(rate_url(plan)).status_code == 404

    # Invited again, she starts afresh: what she wrote through the ended share is not hers to read.
    Share.objects.create(plan=plan, email=mentor.email, user=mentor, may_rate=True)
    page = rater_client.get(rate_url(plan)).content.decode()
    assert "Seen in the pricing study" not in page and 'data-testid="my-rating"' not in page

    owner_page = alice_client.get(reverse("plans:assess", args=[plan.pk])).content.decode()
    assert "Seen in the pricing study" in owner_page and "former mentor" in owner_page


# --- Bad input ---------------------------------------------------------------------------------


def test_a_rating_without_a_level_or_of_a_skill_not_required_is_a_field_error(rater_client, plan, ladder):
    response = rater_client.post(rate_url(plan), {"skill": ladder.skills["market"].pk, "level": ""})
    assert response.status_code == 200
    assert "Choose a level from 1 to 5." in response.content.decode()
    other = SkillFactory(name="Juggling")
    response = rater_client.post(rate_url(plan), {"skill": other.pk, "level": "3"})
    assert "Choose one of the skills the target role requires." in response.content.decode()
    assert not SkillRating.objects.exists()


def test_choosing_a_rating_of_another_skill_or_no_agreed_level_is_a_field_error(
    alice_client, rater_client, assessed, ladder
):
    rate(rater_client, assessed, ladder.skills["market"], 4)
    rating = SkillRating.objects.get()
    strategy = ladder.skills["strategy"]
    response = alice_client.post(choose_url(assessed), {"skill": strategy.pk, "choice": str(rating.pk)})
    assert response.status_code == 200
    assert "one of the ratings shown" in response.content.decode()
    response = alice_client.post(
        choose_url(assessed), {"skill": ladder.skills["market"].pk, "choice": "agreed"}
    )
    assert "Choose the level you agreed on" in response.content.decode()
    assert CareerPlan.objects.get(pk=assessed.pk).chosen_levels == {}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    skill=st.one_of(st.text(max_size=20), st.integers(-5, 10**20).map(str), st.sampled_from(["market", ""])),
    level=st.one_of(st.text(max_size=8), st.integers(-3, 9).map(str)),
    note=st.text(max_size=400),
)
def test_any_rating_input_is_a_rating_or_a_field_error(rater_client, plan, ladder, skill, level, note):
    if skill == "market":
        skill = str(ladder.skills["market"].pk)
    if "\x00" in skill + level + note:  # refused before any view (careerpath.middleware), tested there
        return
    before = SkillRating.objects.count()
    response = rater_client.post(rate_url(plan), {"skill": skill, "level": level, "note": note})
    assert response.status_code in (200, 302)
    after = SkillRating.objects.count()
    if response.status_code == 302:
        assert after == before + 1
    else:
        assert after == before  # nothing half-written
        assert 'data-testid="error-summary"' in response.content.decode()


# --- Queries, deletion ---------------------------------------------------------------------------


def many_ratings(plan, ladder, raters: range) -> None:
    for n in raters:
        user = make_user(f"rater{n}-{plan.pk}@example.com", "x")
        share = Share.objects.create(plan=plan, email=user.email, user=user, may_rate=True)
        for skill in ladder.skills.values():
            for level in (2, 3):
                SkillRating.objects.create(
                    plan=plan, skill=skill, rater=user, rater_name=f"R{n}", share=share, level=level
                )


@pytest.mark.parametrize("page", ["plans:detail", "plans:assess"])
def test_pages_take_as_many_queries_with_many_ratings_as_with_few(
    alice_client, assessed, ladder, page, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse(page, args=[assessed.pk])
    many_ratings(assessed, ladder, range(1))
    rating = SkillRating.objects.first()
    alice_client.post(choose_url(assessed), {"skill": rating.skill_id, "choice": str(rating.pk)})
    alice_client.get(url)  # shows the choice's message; caches the ladder's routes
    versions.bump(versions.plan(assessed.pk))  # a rebuilt page, not the cached body
    with CaptureQueriesContext(connection) as few:
        assert alice_client.get(url).status_code == 200
    many_ratings(assessed, ladder, range(1, 7))
    versions.bump(versions.plan(assessed.pk))
    # plan page: as before ratings (the choices are the plan row's); assessment page: the plan,
    # requirements, assessments, routes, path skills and one query for the ratings.
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = alice_client.get(url)
    assert response.status_code == 200
    assert len(few.captured_queries) <= {"plans:detail": 14, "plans:assess": 10}[page]


def test_the_rating_page_takes_as_many_queries_for_many_ratings_as_for_one(
    rater_client, plan, ladder, rater_share, mentor, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rate(rater_client, plan, ladder.skills["market"], 3)
    with CaptureQueriesContext(connection) as few:
        assert rater_client.get(rate_url(plan)).status_code == 200
    for skill in ladder.skills.values():
        for level in (1, 2, 3, 4, 5):
            SkillRating.objects.create(
                plan=plan, skill=skill, rater=mentor, rater_name="m", share=rater_share, level=level
            )
    # session + user; the plan with its roles, requirements and assessments; her share; her
    # ratings through it: fixed, whatever their number.
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = rater_client.get(rate_url(plan)).content.decode()
    assert page.count('data-testid="my-rating"') == 4  # her latest of each skill, once
    assert len(few.captured_queries) <= 9


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    skill=st.one_of(st.text(max_size=12), st.sampled_from(["market", "strategy"])),
    choice=st.one_of(st.text(max_size=12), st.sampled_from(["own", "agreed", "rating"])),
    agreed=st.one_of(st.text(max_size=6), st.integers(-2, 8).map(str)),
)
def test_any_choice_input_is_a_choice_or_a_field_error(alice_client, assessed, ladder, skill, choice, agreed):
    rating = SkillRating.objects.filter(plan=assessed).first() or SkillRating.objects.create(
        plan=assessed, skill=ladder.skills["market"], rater_name="m", level=4
    )
    skill = str(ladder.skills[skill].pk) if skill in ("market", "strategy") else skill
    choice = str(rating.pk) if choice == "rating" else choice
    if "\x00" in skill + choice + agreed:  # refused before any view (careerpath.middleware)
        return
    before = CareerPlan.objects.get(pk=assessed.pk).chosen_levels
    data = {"skill": skill, "choice": choice, "agreed_level": agreed}
    response = alice_client.post(choose_url(assessed), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert CareerPlan.objects.get(pk=assessed.pk).chosen_levels == before  # nothing half-written
        assert 'data-testid="choice-errors"' in response.content.decode()


def test_deleting_the_owner_removes_the_ratings(rater_client, plan, ladder, alice):
    rate(rater_client, plan, ladder.skills["market"], 3)
    account_delete(user=alice, address=alice.email)
    assert not SkillRating.objects.exists()


def test_deleting_the_mentor_keeps_the_rating_by_a_former_member(
    alice_client, rater_client, plan, ladder, mentor
):
    rate(rater_client, plan, ladder.skills["market"], 3)
    account_delete(user=mentor, address=mentor.email)
    rating = SkillRating.objects.get()
    assert (rating.rater, rating.rater_name, rating.share) == (None, "", None)
    page = alice_client.get(reverse("plans:assess", args=[plan.pk])).content.decode()
    assert "A former member: <strong>3</strong>" in page
