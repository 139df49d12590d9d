"""Text no page could hold (a NUL character, half of a UTF-16 surrogate pair) is refused in any
JSON body the API reads, naming where it is, before any view or database sees it: PostgreSQL
refuses a NUL (a 500 when a query carries one, found by the schema fuzzer on a skill slug)."""

import json

import pytest

from plans.models import Activity

NUL = "a\u0000b"
HALF_PAIR = "a\ud800b"


@pytest.mark.parametrize("text", [NUL, HALF_PAIR])
@pytest.mark.parametrize("field", ["title", "note", "skills"])
def test_an_activity_with_unwritable_text_is_refused_where_it_is(alice_api, plan, text, field):
    body = {"kind": "course", "title": "Pricing course", "date": "2026-01-10", "skills": []}
    body[field] = [text] if field == "skills" else text

    response = alice_api.client.post(
        f"/api/v1/plans/{plan.pk}/activities",
        json.dumps(body),  # json.dumps escapes both (\u0000, \ud800), as a client's JSON would
        content_type="application/json",
        **alice_api.headers,
    )

    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["field"] == (f"{field}[0]" if field == "skills" else field)
    assert not Activity.objects.exists()
