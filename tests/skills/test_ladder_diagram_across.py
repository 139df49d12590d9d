"""The ladder diagram draws moves between tracks (issue 23, item 6): the engineer's route into
product management is an arrow on both ladders' diagrams, not only a line in the text under them."""

import pytest
from django.urls import reverse

from skills.queries import ladder_for_track
from skills.templatetags.ladder_diagram import NODE_H, ladder_diagram

# The shipped ladders' moves from engineering into product management (skills/ladders/).
INTO_PRODUCT_MANAGEMENT = {
    ("software-engineer", "associate-product-manager"),
    ("software-engineer", "product-manager"),
    ("senior-software-engineer", "product-manager"),
}


@pytest.fixture
def loaded(shipped_ladders, db) -> None:
    """The ladders load_demo_data loads, once for the module (tests/conftest.py)."""


def across(diagram: dict) -> set[tuple[str, str]]:
    return {
        (e["transition"].from_role.slug, e["transition"].to_role.slug)
        for e in diagram["edges"]
        if e["across"]
    }


@pytest.mark.parametrize("track", ["software-engineering", "product-management"])
def test_both_ladders_draw_the_route_into_product_management(loaded, track):
    diagram = ladder_diagram(ladder_for_track(track))

    assert across(diagram) == INTO_PRODUCT_MANAGEMENT
    others = {n["role"].slug: n for n in diagram["nodes"] if n["other_track"]}
    if track == "software-engineering":
        assert set(others) == {"associate-product-manager", "product-manager"}
        assert others["product-manager"]["badge_text"] == "Product Management"
    else:
        assert set(others) == {"software-engineer", "senior-software-engineer"}
        assert others["software-engineer"]["badge_text"] == "Software Engineering"
    # Each role of the other track sits in the row of its own level.
    rows = {n["role"].level: n["y"] for n in diagram["nodes"] if not n["other_track"]}
    assert all(n["y"] == rows[n["role"].level] for n in others.values() if n["role"].level in rows)
    assert all(0 <= n["y"] <= diagram["height"] - NODE_H for n in diagram["nodes"])


def test_the_engineering_page_shows_the_arrow_to_product_manager_and_keeps_its_text(loaded, client):
    html = client.get(reverse("skills:track_detail", args=["software-engineering"])).content.decode()
    svg = html.split('data-testid="ladder-diagram"')[1].split("</svg>")[0]

    assert "Software Engineer → Product Manager (Product Management)" in svg
    node = svg.split('data-testid="diagram-role-product-management-product-manager"')[1].split("</a>")[0]
    assert "Product Manager (Product Management ladder, level 3)" in node
    assert 'href="/ladders/product-management/product-manager/"' in html
    # The text equivalent: the list of moves names the other ladder.
    moves = html.split('data-testid="transition-list"')[1].split("</ul>")[0]
    assert "Product Manager</a> <span" in moves and "(Product Management)" in moves
