"""Sections other apps add to the plan page, so that plans never imports them.

An app registers a provider in its AppConfig.ready(); the provider returns a dict with a
"template" to include and its context, or None to add nothing. Providers must keep their
query count independent of the data size: the plan page's count is asserted in tests.
"""

from collections.abc import Callable

from django.http import HttpRequest

SectionProvider = Callable[[HttpRequest, object], dict | None]
_providers: list[SectionProvider] = []


def register(provider: SectionProvider) -> SectionProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def plan_sections(request: HttpRequest, plan) -> list[dict]:
    return [section for provider in _providers if (section := provider(request, plan))]
