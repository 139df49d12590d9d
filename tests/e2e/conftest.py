"""Browser tests: pytest-django's live_server driven by Playwright in Debian's Chromium."""

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, DEADLINE, make_user, require

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
# axe-core 4.14.1 from the npm registry (`npm pack axe-core@4.14.1`, its axe.min.js with the licence
# header kept; MPL-2.0, full text in vendor/axe-core.LICENSE). A test-only asset: never served.
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 A and AA rules, plus axe's best practices (landmarks, heading order...).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING_IMPACTS = ("serious", "critical")
# Every page records what its Content-Security-Policy refused (an inline style, an inline script,
# a foreign URL); assert_accessible fails on any. Added to each context before any page script runs.
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " +
    (e.sourceFile || document.location.pathname) + ":" + e.lineNumber + " " + (e.sample || ""));
});
"""


E2E = Path(__file__).parent


@pytest.hookimpl(trylast=True)  # after pytest-django's order (database tests, then transactional ones)
def pytest_collection_modifyitems(items) -> None:
    """Everything here drives Chromium: marked `browser`, so CI runs it once, in its own step.

    In a run with other tests, the browser tests go last (in each xdist worker too, which runs its
    share in this order): the session's one Chromium keeps Django's async-safety check off from
    its first browser test on (see `browser`), so no other test runs after that."""
    for item in items:
        if E2E in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)  # stable


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Headless Chromium, one for the session (for each xdist worker): a launch costs seconds.

    Playwright's sync API keeps an event loop running in the test thread while it is open, and
    Django then refuses ORM calls there unless told this is deliberate. So DJANGO_ALLOW_ASYNC_UNSAFE
    is set for exactly as long as Playwright is open: from the first browser test to the end of the
    session, and the browser tests run last (pytest_collection_modifyitems above), so the tests
    that are not browser tests keep Django's check. Each test gets contexts of its own (`page`,
    `signed_in_context`): no cookie, storage or page carries over from one test to the next.
    """
    require(Path(CHROMIUM).exists(), f"Chromium at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            new_context = browser.new_context

            def watched_context(*args, **kwargs):
                context = new_context(*args, **kwargs)
                context.add_init_script(CSP_WATCH)
                return context

            browser.new_context = watched_context
            yield browser
            browser.close()


@pytest.fixture(autouse=True)
def _no_context_outlives_its_test(request) -> Iterator[None]:
    """A test that forgets to close a context it opened (or fails before it does) leaves nothing
    open for the next test on the session's browser."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    before = set(browser.contexts)
    yield
    for context in browser.contexts:
        if context not in before:
            context.close()


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_up_and_sign_in(
    page, live_server, email: str, password: str = "a long new passphrase 3", name: str = "Sam Newcomer"
) -> None:
    """The whole account flow a newcomer goes through: sign up, follow the emailed link, sign in."""
    import re

    from django.core import mail

    page.goto(live_server.url + "/accounts/signup/")
    page.fill("input[name=first_name]", name)
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", password)
    page.fill("input[name=password2]", password)
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/confirm-email/")
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    # The link opened elsewhere (the mail app on a phone): opening it confirms; no session there,
    # so they sign in after.
    other_device = page.context.browser.new_context()
    confirm_page = other_device.new_page()
    confirm_page.goto(live_server.url + "/" + link.split("://", 1)[1].split("/", 1)[1])
    confirm_page.wait_for_url("**/accounts/login/")
    other_device.close()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")


def signed_up(
    page, live_server, email: str, password: str = "a long new passphrase 3", name: str = "Sam Newcomer"
):
    """A newcomer's account as sign-up leaves it (their name, the password, the address confirmed),
    signed in in `page`'s context and on their dashboard; the user is returned.

    For flows whose claims start after sign-up: the sign-up itself (the form, the emailed link
    opened on another device, the sign-in after it; sign_up_and_sign_in) is what
    test_signup_flow.py and test_journey.py claim, and costs a flow four page loads and a second
    context."""
    from django.test import Client

    user = make_user(email, password)
    user.first_name = name
    user.save(update_fields=["first_name"])
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + "/")
    return user


def load_axe(page) -> None:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's CSP does not govern (a <script>
        # tag with the source would be refused: the policy allows no inline script).
        page.evaluate(AXE.read_text())


# axe.run's result also lists every rule that passed, did not apply or was incomplete, with its
# description, tags and help URL (resultTypes only trims their nodes): about a hundred entries,
# which Chromium serializes, Playwright's driver relays and its Python client validates value by
# value (0.08 s of this process's CPU a run) for them to be thrown away. The page hands back only
# the violations, all that the checks read.
AXE_RUN = "axe.run({context}, {{runOnly: {{type: 'tag', values: tags}}, resultTypes: ['violations']}})"
VIOLATIONS = ".then(result => result.violations)"


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it is now; every violation, whatever its impact."""
    load_axe(page)
    return page.evaluate("tags => " + AXE_RUN.format(context="document") + VIOLATIONS, AXE_TAGS)


def describe_violations(violations: list[dict], where: str) -> str:
    """One line per violation and up to five target selectors under it, for a failure message."""
    lines = []
    for v in violations:
        lines.append(f"{where}: {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(
                f"    {' '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}"
            )
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


def blocking_violations(page) -> list[dict]:
    """The violations of impact serious or critical on the page as it is now."""
    return [v for v in axe_violations(page) if v["impact"] in BLOCKING_IMPACTS]


def csp_violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


def assert_accessible(page, where: str = "") -> None:
    """Fail on any serious or critical axe-core violation, listing rule, impact and targets, and
    on anything the page's Content-Security-Policy refused (read first: axe's probes can add to it)."""
    refused = csp_violations(page)
    assert not refused, f"{where or page.url}: the Content-Security-Policy refused:\n" + "\n".join(refused)
    violations = blocking_violations(page)
    assert not violations, "axe-core found:\n" + describe_violations(violations, where or page.url)


WIDTHS = (390, 1280)  # a phone's, then a desktop's


def at_each_width(page) -> Iterator[int]:
    """Each of WIDTHS, with the window resized to it, then the window as it was.

    The pages lay themselves out in CSS (no script of theirs reads the width), so a resize shows
    what a load at that width would: a flow runs once, at a phone's width, and what it claims at
    each width is checked at each stop (as the accessibility walk checks each page)."""
    size = page.viewport_size
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": size["height"]})
        yield width
    page.set_viewport_size(size)


def assert_accessible_at_each_width(
    page, where: str, shot: str = "", also: Callable[[int], None] | None = None
) -> None:
    """assert_accessible at each of WIDTHS (the policy's refusals read once, before axe, whose
    probes can add to them), with a screenshot `shot`-<width> at each and `also(width)`'s checks."""
    refused = csp_violations(page)
    assert not refused, f"{where}: the Content-Security-Policy refused:\n" + "\n".join(refused)
    for width in at_each_width(page):
        if also is not None:
            also(width)
        if shot:
            screenshot(page, f"{shot}-{width}")
        violations = blocking_violations(page)
        assert not violations, "axe-core found:\n" + describe_violations(violations, f"{where} at {width} px")


def signed_in_context(browser, live_server, width: int, user=None, password: str = "", **options):
    """A browser context at `width` px, signed in as `user` (a session made by the test client);
    with their `password`, the session has just signed in again too (allauth's reauthentication,
    which deleting the account asks for, for five minutes).

    axe-core is in each of its pages from the start (an init script, which the page's CSP does not
    govern): these contexts are the ones that check page after page, and handing axe's 500 kB to
    each page through page.evaluate cost 0.1 s a page, a tenth of the accessibility walk."""
    from django.test import Client
    from django.urls import reverse

    context = browser.new_context(viewport={"width": width, "height": 844}, **options)
    context.add_init_script(path=str(AXE))
    if user is not None:
        client = Client()
        client.force_login(user)
        if password:
            assert client.post(reverse("account_reauthenticate"), {"password": password}).status_code == 302
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
    return context


def wait_for_true(page, expression: str, timeout: float = DEADLINE) -> None:
    """Wait until ``expression`` is true in the page, read through page.evaluate, which the page's
    Content-Security-Policy does not govern: page.wait_for_function, once it has to poll, evaluates
    the string in the page, and script-src 'self' refuses that (an EvalError on a slow page)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"never true in the page: {expression}"
        page.wait_for_timeout(50)
