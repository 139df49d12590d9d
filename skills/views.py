"""Public pages of the career framework: no sign-in needed to read a ladder."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from skills import queries
from skills.models import Proficiency
from skills.sources import onet_database_title


def track_list(request: HttpRequest) -> HttpResponse:
    return render(request, "skills/track_list.html", {"tracks": queries.tracks_with_role_counts()})


def track_detail(request: HttpRequest, track_slug: str) -> HttpResponse:
    ladder = queries.ladder_for_track(track_slug)
    return render(request, "skills/track_detail.html", {"ladder": ladder, "track": ladder.track})


def role_detail(request: HttpRequest, track_slug: str, role_slug: str) -> HttpResponse:
    role = queries.role_for_page(track_slug, role_slug)
    # The plans app owns the page; its URL is found by name, so skills still imports nothing from it.
    plan_url = f"{reverse('plans:create')}?{urlencode({'target': role.pk})}"
    sign_in_url = None
    if not request.user.is_authenticated:
        next_query = urlencode({"next": plan_url})
        plan_url = f"{reverse('account_signup')}?{next_query}"
        sign_in_url = f"{reverse('account_login')}?{next_query}"
    context = {
        "role": role,
        "track": role.track,
        "requirement_groups": queries.requirements_by_category(role),
        "plan_url": plan_url,
        "sign_in_url": sign_in_url,
        "proficiency_scale": Proficiency.scale(),
        "credited": queries.standards_credited(role),
        "onet_database": onet_database_title(),
    }
    return render(request, "skills/role_detail.html", context)
