"""CSRF on every state-changing view: a walk over the URL resolver, not a hand-written list, so a
new view is covered the day it is added. The one-click unsubscribe (RFC 8058: a mail client posts
it without a session) is the only exempt endpoint, and it takes only a signed token."""

from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

# The exempt endpoint, and what stands in for CSRF there.
EXEMPT = {
    "goals:unsubscribe": "a signed, expiring token in the URL (goals.reminders.tokens.unsubscribe_token)"
}
# The API (/api/v1/) takes a Bearer token and never a cookie, so a forged form carries nothing it
# reads: every "api:" pattern is exempt, and tests/api/test_access_walk.py walks it instead.
API = "api:"


def patterns(resolver=None, namespace=None):
    """(name, pattern, view) for every named URL pattern, namespaced like reverse() wants them."""
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            inner = p.namespace and (f"{namespace}:{p.namespace}" if namespace else p.namespace)
            yield from patterns(p, inner or namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p, p.callback


def outer_parameters(name: str) -> set[str]:
    """The arguments a pattern takes from the include() around it (allauth's OpenID Connect URLs
    take the provider's id there: /accounts/oidc/<provider_id>/login/), read from the resolver."""
    return {
        param
        for possibilities, *_ in get_resolver().reverse_dict.getlist(name)
        for _, params in possibilities
        for param in params
    }


def sample_url(name: str, pattern: URLPattern) -> str:
    """The pattern with arguments any object id, slug or token could have: the CSRF check runs
    before the view looks them up."""
    converters = getattr(pattern.pattern, "converters", {})
    regex = pattern.pattern.regex
    for value in ("sample1", "1", "plans"):  # the last for the admin's app_label
        if regex.groups and not regex.groupindex:  # unnamed groups (the admin's history views)
            args, kwargs = [value] * regex.groups, {}
        else:
            names = converters or regex.groupindex or outer_parameters(name)  # path(), re_path(), include()
            args = []
            kwargs = {n: 1 if isinstance(converters.get(n), IntConverter) else value for n in names}
        try:
            return reverse(name, args=args, kwargs=kwargs)
        except NoReverseMatch:
            continue
    raise AssertionError(f"no sample URL for {name}")


def test_only_the_one_click_unsubscribe_is_exempt():
    exempt = {name for name, _, view in patterns() if getattr(view, "csrf_exempt", False)}
    exempt = {name for name in exempt if not name.startswith(API)}
    assert exempt == set(EXEMPT)


def test_every_post_without_a_token_is_refused_before_the_view_runs(alice, admin_user):
    seen = 0
    for user in (alice, admin_user, None):
        client = Client(enforce_csrf_checks=True)
        if user:
            client.force_login(user)
        for name, pattern, _ in patterns():
            if name in EXEMPT or name.startswith(API):
                continue
            url = sample_url(name, pattern)
            response = client.post(url, {"title": "x"})
            assert response.status_code == 403, (name, url, user, response.status_code)
            assert b"CSRF" in response.content or b"csrf" in response.content, (name, url)
            seen += 1
    assert seen > 100
