"""The public career-ladder pages: track list, a track's ladder, a role's page."""

from collections.abc import Iterator

import pytest
from django.urls import reverse

from skills.models import Role, Track
from tests.factories import (
    CertificationFactory,
    IndustryFactory,
    RoleFactory,
    RoleSkillFactory,
    SkillFactory,
    TrackFactory,
    TransitionFactory,
)
from tests.shared_rows import rows_kept_until_exit

pytestmark = pytest.mark.django_db


def build_ladder(size: int, slug: str = "product-management") -> Track:
    """A ladder of ``size`` roles on five levels, each with requirements, certifications,
    an industry and transitions up (and one sideways), so every prefetch has rows to fetch."""
    track = TrackFactory(name=f"Ladder {slug}", slug=slug, description="Roles in product.")
    skills = [SkillFactory(category="hard" if i % 2 else "soft") for i in range(4)]
    certification = CertificationFactory()
    industry = IndustryFactory()
    roles = [
        RoleFactory(track=track, title=f"{slug} role {i}", level=1 + i % 5, is_entry_point=i % 5 == 0)
        for i in range(size)
    ]
    for i, role in enumerate(roles):
        for j, skill in enumerate(skills):
            RoleSkillFactory(role=role, skill=skill, level=1 + (i + j) % 5)
        role.recommended_certifications.add(certification)
        role.industries.add(industry)
        higher = [r for r in roles if r.level == role.level + 1]
        for target in higher[i % 3 : i % 3 + 2]:
            TransitionFactory(from_role=role, to_role=target, note="Lead a product area")
        same = [r for r in roles if r.level == role.level and r.pk > role.pk]
        if same:
            TransitionFactory(from_role=role, to_role=same[0])
    return track


@pytest.fixture
def pm(db):
    """A small product-management ladder: APM (entry) → PM → Senior PM, BA (entry) → APM."""
    track = TrackFactory(name="Product Management", slug="product-management", description="Build products.")
    ba = RoleFactory(
        track=track, title="Business Analyst", slug="business-analyst", level=1, is_entry_point=True
    )
    apm = RoleFactory(
        track=track,
        title="Associate Product Manager",
        slug="associate-product-manager",
        level=1,
        is_entry_point=True,
    )
    pm = RoleFactory(
        track=track,
        title="Product Manager",
        slug="product-manager",
        level=2,
        summary="Owns a product from discovery to launch.",
        responsibilities="Own the roadmap\n- Talk to customers",
    )
    senior = RoleFactory(track=track, title="Senior Product Manager", slug="senior-product-manager", level=3)
    TransitionFactory(from_role=ba, to_role=apm, note="Move closer to the product")
    TransitionFactory(from_role=apm, to_role=pm, note="Ship a feature end to end")
    TransitionFactory(from_role=pm, to_role=senior, note="Own a product line")
    RoleSkillFactory(role=pm, skill=SkillFactory(name="Market analysis", slug="market-analysis"), level=4)
    RoleSkillFactory(
        role=pm, skill=SkillFactory(name="Communication", slug="communication", category="soft"), level=3
    )
    cert = CertificationFactory(
        name="Certified Product Manager", abbreviation="CPM", issuer="AIPMM", validity_months=36
    )
    cert.roles.add(pm)
    pm.industries.add(IndustryFactory(name="Healthcare", slug="healthcare"))
    return track


def role(track: Track, slug: str) -> Role:
    return track.roles.get(slug=slug)


# --- Track list -------------------------------------------------------------------


def test_track_list_shows_each_track_with_its_role_count(client, pm):
    TrackFactory(name="Data Science", slug="data-science", description="Models and data.")
    response = client.get(reverse("skills:track_list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Product Management" in html and "Build products." in html and "4 roles" in html
    assert "Data Science" in html and "0 roles" in html
    assert 'href="/ladders/product-management/"' in html


def test_track_list_is_one_query(client, pm, django_assert_max_num_queries):
    # The tracks with their role counts, in one annotated query.
    with django_assert_max_num_queries(1):
        client.get(reverse("skills:track_list"))


def test_nav_links_to_ladders_for_everyone(client, alice_client):
    assert 'href="/ladders/"' in client.get("/").content.decode()
    assert 'href="/ladders/"' in alice_client.get("/").content.decode()


# --- A track's ladder ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "signed_in"])
def test_ladder_renders_for_anonymous_and_signed_in(who, client, alice, pm):
    if who == "signed_in":
        client.force_login(alice)
    response = client.get("/ladders/product-management/")
    assert response.status_code == 200
    html = response.content.decode()
    for title in (
        "Business Analyst",
        "Associate Product Manager",
        "Product Manager",
        "Senior Product Manager",
    ):
        assert title in html
    assert 'data-testid="ladder-diagram"' in html


def test_ladder_draws_roles_by_level_with_arrows(client, pm):
    html = client.get("/ladders/product-management/").content.decode()
    # Highest level first, in the diagram and in the phone list.
    assert html.index("Level 3") < html.index("Level 2") < html.index("Level 1")
    # One arrow per transition, each role a link to its page.
    assert html.count('marker-end="url(#ladder-arrow)"') == 3
    assert 'href="/ladders/product-management/senior-product-manager/"' in html


def test_ladder_marks_entry_points(client, pm):
    response = client.get("/ladders/product-management/")
    html = response.content.decode()
    assert html.count("ladder-node ladder-node-entry") == 2
    assert 'data-testid="diagram-role-business-analyst"' in html
    entry_nodes = [n for n in html.split("<a ") if "ladder-node-entry" in n]
    assert any("Associate Product Manager" in n and "Entry point" in n for n in entry_nodes)
    assert not any("Senior Product Manager" in n for n in entry_nodes)


def test_ladder_lists_transitions_in_text(client, pm):
    html = client.get("/ladders/product-management/").content.decode()
    moves = html.split('data-testid="transition-list"')[1].split("</ul>")[0]
    assert "Product Manager</a>" in moves and "Senior Product Manager</a>" in moves
    assert "Own a product line" in moves
    # The phone list says where each role leads.
    stack = html.split('data-testid="ladder-stack"')[1].split("</section>")[0]
    assert "→ leads to" in stack


def test_unknown_track_is_404(client, pm):
    assert client.get("/ladders/no-such-track/").status_code == 404


def test_empty_ladder_says_so(client):
    TrackFactory(name="Design", slug="design")
    response = client.get("/ladders/design/")
    assert response.status_code == 200
    assert "no roles yet" in response.content.decode()


# --- A role's page --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "signed_in"])
def test_role_page_renders_for_anonymous_and_signed_in(who, client, alice, pm):
    if who == "signed_in":
        client.force_login(alice)
    response = client.get("/ladders/product-management/product-manager/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "Product Manager</h1>" in html
    assert "Level 2" in html
    assert "Owns a product from discovery to launch." in html
    assert "<li>Own the roadmap</li>" in html and "<li>Talk to customers</li>" in html
    assert "Healthcare" in html


def test_role_page_shows_required_skill_levels_grouped(client, pm):
    html = client.get("/ladders/product-management/product-manager/").content.decode()
    skills = html.split('data-testid="required-skills"')[1]
    assert skills.index("Hard skills") < skills.index("Market analysis") < skills.index("Soft skills")
    assert skills.index("Soft skills") < skills.index("Communication")
    assert "4/5 · Advanced" in skills and "3/5 · Practitioner" in skills
    market = skills.split('data-testid="skill-market-analysis"')[1].split("</li>")[0]
    assert market.count("skill-level-step is-filled") == 4
    assert 'aria-label="Market analysis: level 4 of 5, Advanced"' in market


def test_role_page_shows_where_it_comes_from_and_leads_to(client, pm):
    html = client.get("/ladders/product-management/product-manager/").content.decode()
    comes_from = html.split('data-testid="comes-from"')[1].split("</section>")[0]
    leads_to = html.split('data-testid="leads-to"')[1].split("</section>")[0]
    assert "Associate Product Manager" in comes_from and "Ship a feature end to end" in comes_from
    assert "Senior Product Manager" in leads_to and "Own a product line" in leads_to
    assert "Senior Product Manager" not in comes_from


def test_role_page_shows_certifications(client, pm):
    html = client.get("/ladders/product-management/product-manager/").content.decode()
    certs = html.split('data-testid="certifications"')[1].split("</section>")[0]
    assert "Certified Product Manager" in certs and "CPM" in certs and "AIPMM" in certs
    assert "valid for 36 months" in certs


def test_entry_point_badge_on_role_page(client, pm):
    assert (
        'data-testid="entry-point"'
        in client.get("/ladders/product-management/business-analyst/").content.decode()
    )
    assert (
        'data-testid="entry-point"'
        not in client.get("/ladders/product-management/product-manager/").content.decode()
    )


def test_anonymous_cta_goes_to_sign_up_then_the_plan(client, pm):
    pk = role(pm, "product-manager").pk
    html = client.get("/ladders/product-management/product-manager/").content.decode()
    assert f'href="/accounts/signup/?next=%2Fplans%2Fnew%2F%3Ftarget%3D{pk}"' in html
    assert f'href="/accounts/login/?next=%2Fplans%2Fnew%2F%3Ftarget%3D{pk}"' in html


def test_signed_in_cta_goes_straight_to_a_new_plan(alice_client, pm):
    pk = role(pm, "product-manager").pk
    html = alice_client.get("/ladders/product-management/product-manager/").content.decode()
    assert f'href="/plans/new/?target={pk}"' in html
    assert "/accounts/signup/" not in html


def test_unknown_role_is_404(client, pm):
    assert client.get("/ladders/product-management/astronaut/").status_code == 404
    assert client.get("/ladders/no-such-track/product-manager/").status_code == 404


def test_same_role_slug_on_another_track_is_not_confused(client, pm):
    other = TrackFactory(name="Project Management", slug="project-management")
    RoleFactory(
        track=other, title="Product Manager (projects)", slug="product-manager", level=4, summary="Other"
    )
    RoleFactory(track=other, title="Delivery Lead", slug="delivery-lead", level=5)

    html = client.get("/ladders/product-management/product-manager/").content.decode()
    assert "Owns a product from discovery to launch." in html and "Product Manager (projects)" not in html
    html = client.get("/ladders/project-management/product-manager/").content.decode()
    assert "Product Manager (projects)" in html and "Level 4" in html
    assert "Owns a product from discovery to launch." not in html
    # A role exists on one track only: its slug under the other track is a 404.
    assert client.get("/ladders/product-management/delivery-lead/").status_code == 404
    # Each ladder shows its own roles.
    ladder = client.get("/ladders/project-management/").content.decode()
    assert "Delivery Lead" in ladder and "Senior Product Manager" not in ladder


def test_cross_track_transition_is_listed_with_its_track(client, pm):
    other = TrackFactory(name="Business Analysis", slug="business-analysis")
    analyst = RoleFactory(track=other, title="Senior Analyst", slug="senior-analyst", level=3)
    TransitionFactory(from_role=analyst, to_role=role(pm, "product-manager"))
    html = client.get("/ladders/product-management/").content.decode()
    moves = html.split('data-testid="transition-list"')[1].split("</ul>")[0]
    assert "Senior Analyst" in moves and "(Business Analysis)" in moves
    # The diagram draws the move from the other ladder too, in a colour of its own, to a box
    # that names its ladder and links to the role's page.
    assert html.count('marker-end="url(#ladder-arrow)"') == 3
    assert html.count('marker-end="url(#ladder-arrow-across)"') == 1
    node = html.split('data-testid="diagram-role-business-analysis-senior-analyst"')[1].split("</a>")[0]
    assert (
        "Senior Analyst (Business Analysis ladder, level 3)" in node and ">Business Analysis</text>" in node
    )
    assert "a dashed box is a role on another ladder, which it names" in html
    page = client.get("/ladders/product-management/product-manager/").content.decode()
    comes_from = page.split('data-testid="comes-from"')[1].split("</section>")[0]
    assert (
        'href="/ladders/business-analysis/senior-analyst/"' in comes_from
        and "Business Analysis" in comes_from
    )


def middle_role_url(track: Track) -> str:
    """A role in the middle of the ladder, with requirements, certifications and moves both ways."""
    middle = track.roles.filter(level=3).order_by("pk").first()
    assert middle.requirements.count() == 4
    assert middle.transitions_in.exists() and middle.transitions_out.exists()
    return middle.get_absolute_url()


@pytest.fixture(scope="class")
def written_ladders(django_db_setup, django_db_blocker) -> Iterator[tuple[str, str]]:
    """A ladder of 10 roles and one of 50, written once for the class's three tests, which only
    read them: writing the two costs ~2,000 statements, a test's reads ~20."""
    with rows_kept_until_exit(
        django_db_blocker, lambda: (build_ladder(10, "small").slug, build_ladder(50, "large").slug)
    ) as slugs:
        yield slugs


@pytest.fixture
def two_ladders(written_ladders) -> tuple[Track, Track]:
    """The small and the large ladder's tracks, fetched afresh for each test."""
    return Track.objects.get(slug=written_ladders[0]), Track.objects.get(slug=written_ladders[1])


# The ladders are written once (in each xdist worker that runs some of the class's tests).
class TestQueryCountAtTwoSizes:
    def test_ladder_query_count_does_not_grow(self, client, two_ladders, django_assert_max_num_queries):
        small, large = two_ladders
        # The track, its roles, and the transitions touching them (with both roles and tracks).
        with django_assert_max_num_queries(3) as for_small:
            html_small = client.get(small.get_absolute_url()).content.decode()
        with django_assert_max_num_queries(3) as for_large:
            html_large = client.get(large.get_absolute_url()).content.decode()
        assert len(for_small.captured_queries) == len(for_large.captured_queries)
        assert html_small.count('data-testid="diagram-role-') == 10
        assert html_large.count('data-testid="diagram-role-') == 50

    @pytest.mark.parametrize("who", ["anonymous", "signed_in"])
    def test_role_page_query_count_does_not_grow(
        self, who, client, alice, two_ladders, django_assert_max_num_queries
    ):
        small, large = (middle_role_url(track) for track in two_ladders)
        # The role with its track, then requirements+skills, industries, certifications,
        # transitions out and transitions in (each with the other role and its track).
        expected = 6
        if who == "signed_in":
            client.force_login(alice)
            expected += 2  # the session and the user
        with django_assert_max_num_queries(expected) as for_small:
            assert client.get(small).status_code == 200
        with django_assert_max_num_queries(expected) as for_large:
            assert client.get(large).status_code == 200
        assert len(for_small.captured_queries) == len(for_large.captured_queries)


# --- The diagram's layout ---------------------------------------------------------------


def test_arrow_skipping_a_level_runs_beside_the_boxes_it_passes(pm):
    from skills.queries import ladder_for_track
    from skills.templatetags.ladder_diagram import NODE_W, ladder_diagram

    # Associate PM (level 1) → Senior PM (level 3) crosses the Product Manager row.
    TransitionFactory(
        from_role=role(pm, "associate-product-manager"), to_role=role(pm, "senior-product-manager")
    )
    diagram = ladder_diagram(ladder_for_track("product-management"))
    edges = {(e["transition"].from_role.slug, e["transition"].to_role.slug): e for e in diagram["edges"]}
    skip = edges["associate-product-manager", "senior-product-manager"]
    # The straight stretch through the middle row ("L x,y") sits outside every box in that row.
    crossing_x = float(skip["path"].split(" L")[1].split(",")[0])
    middle_row = [n for n in diagram["nodes"] if n["role"].level == 2]
    assert all(not (n["x"] <= crossing_x <= n["x"] + NODE_W) for n in middle_row)


def test_sideways_move_on_the_top_row_stays_inside_the_drawing(pm):
    from skills.queries import ladder_for_track
    from skills.templatetags.ladder_diagram import ladder_diagram

    lateral = RoleFactory(track=pm, title="Principal Product Manager", slug="principal", level=3)
    TransitionFactory(from_role=role(pm, "senior-product-manager"), to_role=lateral)
    diagram = ladder_diagram(ladder_for_track("product-management"))
    arc = next(e for e in diagram["edges"] if e["transition"].to_role_id == lateral.pk)
    # The arc's control points rise above the row; the drawing starts low enough to hold its peak (3/4 of the rise).
    y_top_row = min(n["y"] for n in diagram["nodes"])
    control_y = float(arc["path"].split(" C")[1].split()[0].split(",")[1])
    assert y_top_row - 0.75 * (y_top_row - control_y) >= 0
