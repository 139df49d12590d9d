"""Sections that other apps add to plans' pages (the plan page, the dashboard, the print view), so
plans never imports them.

An app registers a provider for a page in its AppConfig.ready(); the provider returns a dict with
a "template" to include and its context, or None to add nothing. Providers must keep their query
count independent of the data size: every page's count is asserted in tests.
"""

from collections.abc import Callable
from enum import StrEnum

from django.http import HttpRequest


class Page(StrEnum):
    PLAN = "plan"  # provider(request, plan)
    DASHBOARD = "dashboard"  # provider(request, plans: plans.dashboard.DashboardPlans)
    PRINT = "print"  # provider(request, plan): the print view (plans/views_print.py)


SectionProvider = Callable[..., dict | None]
_providers: dict[Page, list[SectionProvider]] = {page: [] for page in Page}


def register(page: Page, provider: SectionProvider) -> SectionProvider:
    if provider not in _providers[page]:
        _providers[page].append(provider)
    return provider


def page_sections(page: Page, request: HttpRequest, *args) -> list[dict]:
    """Every registered provider's section for this page, in registration order."""
    return [section for provider in _providers[page] if (section := provider(request, *args))]
