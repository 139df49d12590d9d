"""What you saved is what you see, with the app started as `make run` starts it: the Procfile's web
process (several gunicorn processes, each with threads) on default settings (the cache folder they share, sessions and version tokens in the
database), driven over loopback by a client that keeps cookies, sends the forms the pages show and
revalidates with ETags as a browser does.

Every save below is followed by loads of those of the plan page, the dashboard and the goal page
that show it; each load must show the new data, whichever process answers it (the access log
proves that both processes answered loads of each page).
"""

import http.client
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.conf import global_settings, settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from plans.models import CareerPlan
from tests.conftest import BASE_DIR, free_port, shared_database_url, worker_env
from tests.goals.factories import LARGEST_CHECK_INS, GoalFactory

pytestmark = [pytest.mark.server, pytest.mark.django_db(transaction=True)]

WEB_PROCESSES = 2  # what make run starts (the Procfile's default WEB_CONCURRENCY)
# Rounds of the five kinds of save. Each round loads the pages a save shows on twice after it; over
# five rounds each page is loaded 20 to 50 times, and the test fails unless both processes answered
# some of each page's loads (ten rounds, before, asked only that both answered something).
SAVES = 5
START_DEADLINE = 120  # seconds: four processes importing Django on a loaded 2-core machine


class Forms(HTMLParser):
    """The forms of a page, each as its action and the values a browser would send unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._field: str | None = None
        self._text = False  # inside a textarea: its text is its value

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": []})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.forms[-1]["fields"].append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._field, self._text = a["name"], True
            self.forms[-1]["fields"].append((a["name"], ""))
        elif tag == "select" and a.get("name"):
            self._field = a["name"]
            self.forms[-1]["fields"].append((a["name"], None))
        elif tag == "option" and self._field and self.forms[-1]["fields"][-1][1] is None and "selected" in a:
            self.forms[-1]["fields"][-1] = (self._field, a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self._text:
            fields = self.forms[-1]["fields"]
            fields[-1] = (self._field, fields[-1][1] + data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("textarea", "select"):
            if self.forms and self.forms[-1]["fields"] and self.forms[-1]["fields"][-1][1] is None:
                self.forms[-1]["fields"][-1] = (self._field, "")
            self._field, self._text = None, False


class Browser:
    """Cookies, forms and ETags over plain HTTP: what a browser sends, no JavaScript."""

    def __init__(self, base: str, session_key: str) -> None:
        self.base = base
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        host = urllib.parse.urlsplit(base).hostname
        self.cookies.set_cookie(_cookie(settings.SESSION_COOKIE_NAME, session_key, host))
        self.etags: dict[str, str] = {}

    def get(self, path: str) -> str:
        request = urllib.request.Request(self.base + path)
        if path in self.etags:
            request.add_header("If-None-Match", self.etags[path])
        try:
            with self.opener.open(request, timeout=60) as response:
                body = response.read().decode()
                if response.headers.get("ETag"):
                    self.etags[path] = response.headers["ETag"]
                self.pages = getattr(self, "pages", {})
                self.pages[path] = body
                return body
        except urllib.error.HTTPError as error:
            if error.code == 304:  # the page it holds is still the page: it shows that one
                return self.pages[path]
            raise

    def submit(self, page: str, action: str, **changes: str) -> str:
        """Send the form of ``page`` that posts to ``action`` with ``changes``; the page it lands on."""
        parser = Forms()
        parser.feed(self.get(page))
        form = next(f for f in parser.forms if urllib.parse.urlsplit(f["action"]).path in (action, ""))
        fields = [(k, v) for k, v in form["fields"] if k not in changes] + list(changes.items())
        request = urllib.request.Request(
            self.base + (form["action"] or page),
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Referer": self.base + page},
        )
        with self.opener.open(request, timeout=60) as response:
            body = response.read().decode()
            redirected = response.geturl() != request.full_url
        errors = re.findall(r'class="[^"]*(?:invalid-feedback|text-danger)[^"]*"[^>]*>([^<]+)<', body)
        assert redirected, f"the form was refused: {errors} {body[body.find('<main') :][:3000]}"
        return body


def _cookie(name: str, value: str, host: str):
    from http.cookiejar import Cookie

    return Cookie(
        0, name, value, None, False, host, False, False, "/", True, False, None, False, None, None, {}
    )


class WebServer:
    def __init__(self, base: str, log, start: int = 0) -> None:
        self.base, self.log, self.start = base, log, start

    def from_now(self) -> "WebServer":
        """The same server, its access log read from here on (one test's requests)."""
        return WebServer(self.base, self.log, start=self.log.stat().st_size)

    def answered_by(self, path: str = "") -> set[str]:
        """The process ids the access log names since ``start`` (for GETs of ``path`` if given)."""
        request = rf"GET {re.escape(path)}(?:\?\S*)? " if path else ""
        with open(self.log, "rb") as log:
            log.seek(self.start)
            return set(re.findall(rf"pid=<?(\d+)>? {request}", log.read().decode()))


def procfile_web() -> str:
    """The web line of the Procfile, the command `make run` starts (through a shell, as honcho does)."""
    for line in (BASE_DIR / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line.removeprefix("web:").strip()
    raise AssertionError("the Procfile has no web process")


@pytest.fixture(scope="module")
def web_server(tmp_path_factory, django_db_setup) -> Iterator[WebServer]:
    """The Procfile's web process on the test database, with WEB_PROCESSES workers and its own
    threads; its access log names the process of each request. The test run's own cache folder is
    in the environment (CACHE_URL). One for the module: a start costs seconds, and what a test
    leaves is gone before the next (its rows flushed, the cache cleared, new ids for new rows)."""
    port = free_port()
    log = tmp_path_factory.mktemp("web") / "gunicorn.log"
    env = worker_env(DATABASE_URL=shared_database_url(), DEBUG="1", PORT=str(port), BIND="127.0.0.1")
    env["WEB_CONCURRENCY"] = str(WEB_PROCESSES)
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"  # as make run puts the venv first
    command = f"exec {procfile_web()} --no-control-socket --access-logformat 'pid=%(p)s %(r)s %(s)s'"
    with open(log, "w") as out:
        process = subprocess.Popen(
            ["bash", "-c", command], cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    server = WebServer(f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + START_DEADLINE
    while True:
        try:
            with urllib.request.urlopen(server.base + "/healthz", timeout=5):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(
                    f"gunicorn did not answer; its log:\n{log.read_text()[-3000:]}"
                ) from None
            time.sleep(0.2)
    try:
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def web(web_server) -> WebServer:
    """The module's web process, its access log read from this test's first request."""
    return web_server.from_now()


def signed_in(base: str, user) -> Browser:
    client = Client()
    client.force_login(user)  # the session row every process reads
    return Browser(base, client.cookies[settings.SESSION_COOKIE_NAME].value)


@pytest.fixture
def alice_browser(web, alice) -> Browser:
    browser = signed_in(web.base, alice)
    browser.get("/")  # the CSRF cookie, as a first visit sets it
    return browser


def pages(plan, goal) -> dict[str, str]:
    return {"plan": plan.get_absolute_url(), "dashboard": reverse("home"), "goal": goal.get_absolute_url()}


def each_load_shows(browser: Browser, urls: dict[str, str], expected: dict[str, str]) -> None:
    """Two loads of each page that shows the save, whichever processes answer: both show it."""
    for name, text in expected.items():
        for _ in range(2):
            assert text in browser.get(urls[name]), f"{name} page is stale: {text!r} missing"


def test_every_save_shows_on_the_next_load_whichever_process_answers(web, alice_browser, plan, mentor_share):
    goal = GoalFactory(plan=plan, title="Interview customers", baseline=0, target=100, unit="interviews")
    urls = pages(plan, goal)
    skills = list(plan.target_role.requirements.values_list("skill_id", flat=True))
    mentor = signed_in(alice_browser.base, mentor_share.user)
    mentor.get("/")

    for i in range(SAVES):
        # A plan edit: its title on all three pages.
        title = f"Lead payments, take {i}"
        alice_browser.submit(reverse("plans:edit", args=[plan.pk]), "", title=title, vision=f"Vision {i}")
        each_load_shows(alice_browser, urls, {"plan": title, "dashboard": title, "goal": title})

        # An assessment: the readiness the plan page and the dashboard card show.
        level = str(i % 3 + 1)
        alice_browser.submit(
            reverse("plans:assess", args=[plan.pk]), "", **{f"level_{pk}": level for pk in skills}
        )
        ready = f"{CareerPlan.objects.get(pk=plan.pk).readiness().percent}% ready"
        each_load_shows(alice_browser, urls, {"plan": ready, "dashboard": ready})

        # A goal edit: its title on its page and the plan page.
        goal_title = f"Interview customers, round {i}"
        alice_browser.submit(reverse("goals:edit", args=[goal.pk]), "", title=goal_title)
        each_load_shows(alice_browser, urls, {"plan": goal_title, "goal": goal_title})

        # A check-in: its note on the goal page.
        note = f"Check-in number {i}"
        alice_browser.submit(
            goal.get_absolute_url(),
            reverse("goals:check_in_add", args=[goal.pk]),
            value=str(i + 1),
            note=note,
        )
        each_load_shows(alice_browser, urls, {"goal": note})

        # Sharing: the mentor's comment on the owner's plan page.
        comment = f"Mentor comment number {i}"
        mentor.submit(plan.get_absolute_url(), reverse("plans:comment_add", args=[plan.pk]), body=comment)
        each_load_shows(alice_browser, urls, {"plan": comment})

    for name, path in urls.items():
        assert len(web.answered_by(path)) >= 2, f"one process answered every load of the {name} page"


def test_a_write_from_another_process_shows_on_the_next_load(alice_browser, plan):
    goal = GoalFactory(plan=plan, title="Interview customers")
    urls = pages(plan, goal)
    # Every page the write changes, rendered by the processes before it.
    each_load_shows(alice_browser, urls, {"plan": plan.title, "dashboard": plan.title})

    code = f"from plans.models import CareerPlan; p = CareerPlan.objects.get(pk={plan.pk}); p.title = 'Renamed in a shell'; p.save()"
    env = worker_env(DATABASE_URL=shared_database_url())
    subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=BASE_DIR, env=env, check=True)

    each_load_shows(alice_browser, urls, {"plan": "Renamed in a shell", "dashboard": "Renamed in a shell"})


def test_account_deletion_takes_the_first_correct_password(web, alice, password, plan, settings):
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # the server's own, not the tests' fast one
    alice.set_password(password)
    alice.save()
    browser = signed_in(web.base, alice)
    browser.get("/")
    delete_page = reverse("accounts:delete")
    reauthenticate = reverse("account_reauthenticate")
    confirm = browser.submit(f"{reauthenticate}?next={delete_page}", reauthenticate, password=password)
    assert "Confirm it" not in confirm, "re-authentication bounced back after the right password"
    for _ in range(WEB_PROCESSES * 2):  # whichever process answers remembers the step
        assert "Confirm it" not in browser.get(delete_page)

    browser.submit(delete_page, delete_page, confirm="on")
    assert not get_user_model().objects.filter(pk=alice.pk).exists()


def large_export(plan, check_ins: int = LARGEST_CHECK_INS) -> bytes:
    """An export of the largest kind a person may upload: the plan's owner's, with one more goal on
    ``plan`` holding 43,000 check-ins, 4.9 MB.

    The bytes of tests/goals/factories.py's ``largest_export`` (the exporter writes the plan and
    the goal with its first check-in), with the other daily check-ins written here: the server
    checks the same file, and this process spares seconds of inserting 43,000 rows to read them
    back. test_large_export_is_the_factorys_largest_export checks that the bytes are the same
    (on fewer check-ins: the same code writes each)."""
    import json

    from base.numbers import plain_number
    from tests.goals.factories import largest_export

    document = json.loads(largest_export(plan, check_ins=1))
    [goal] = [g for p in document["plans"] for g in p["goals"] if g["title"] == "Run every day"]
    first = goal["check_ins"][0]
    start = date.fromisoformat(first["checked_on"])
    goal["check_ins"] = [
        {**first, "value": plain_number(i), "checked_on": (start + timedelta(days=i)).isoformat()}
        for i in range(check_ins)
    ]
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


def test_large_export_is_the_factorys_largest_export(frozen_time, alice):
    from django.db import transaction

    from tests.goals.factories import largest_export
    from tests.plans.factories import CareerPlanFactory

    plan = CareerPlanFactory(owner=alice, title="Big plan")
    with transaction.atomic():  # the goal it writes is gone before the factory writes its own
        written_here = large_export(plan, check_ins=40)
        transaction.set_rollback(True)
    assert written_here == largest_export(plan, check_ins=40)


def multipart(fields: dict[str, str], name: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = "careerpath-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        "Content-Type: application/json\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_the_sign_in_page_answers_while_two_large_imports_run(web, alice, bob, mentor):
    """Two people upload the largest export at once; a third person opening the sign-in page is
    answered while both uploads are still being checked, not after them."""
    from base.models import LimitUse
    from goals.portability.throttle import UPLOADS
    from tests.plans.factories import CareerPlanFactory

    content = large_export(CareerPlanFactory(owner=alice, title="Big plan"))
    uploads: dict[str, threading.Thread] = {}
    finished: dict[str, float] = {}

    def upload(person) -> None:
        browser = signed_in(web.base, person)
        browser.get(reverse("goals:import"))
        token = next(c.value for c in browser.cookies if c.name == settings.CSRF_COOKIE_NAME)
        body, content_type = multipart({"csrfmiddlewaretoken": token}, "file", "careerpath.json", content)
        cookies = "; ".join(f"{c.name}={c.value}" for c in browser.cookies)
        connection = http.client.HTTPConnection(urllib.parse.urlsplit(web.base).netloc, timeout=300)
        headers = {
            "Content-Type": content_type,
            "Cookie": cookies,
            "Referer": web.base + reverse("goals:import"),
        }
        connection.request("POST", reverse("goals:import"), body=body, headers=headers)
        response = connection.getresponse()  # its own answer, not the review page it redirects to
        assert response.status == 302, response.read()[:2000]
        finished[person.email] = time.monotonic()

    for person in (bob, mentor):
        uploads[person.email] = threading.Thread(target=upload, args=(person,))
        uploads[person.email].start()
    # Both uploads have arrived and are being checked once each has counted its attempt.
    deadline = time.monotonic() + START_DEADLINE
    while LimitUse.objects.filter(scope=UPLOADS.scope).count() < 2:
        assert time.monotonic() < deadline, "the uploads never reached the server"
        time.sleep(0.05)

    with urllib.request.urlopen(web.base + reverse("account_login"), timeout=60) as response:
        assert response.status == 200 and b"Sign in" in response.read()
    answered = time.monotonic()

    for thread in uploads.values():
        thread.join(timeout=300)
    assert len(finished) == 2, "an upload failed"
    assert all(answered < at for at in finished.values()), "the sign-in page waited for an import"


def api_get(base: str, path: str, secret: str) -> tuple[int, str, dict]:
    """One request on a connection of its own (gunicorn hands each to whichever process is free)."""
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {secret}"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def test_the_mentoring_pages_and_the_apis_goal_list_show_each_save_whichever_process_answers(
    web, alice_browser, plan, mentor_share
):
    """The people page, the heatmap and the API's goals list keep their bodies in the shared cache
    under the plans' version tokens: a save in one process shows on them from every process."""
    from api.tokens import token_create

    goal = GoalFactory(plan=plan, title="Interview customers")
    mentor = signed_in(alice_browser.base, mentor_share.user)
    secret = token_create(user=plan.owner, name="script")[1]
    goals_path = f"/api/v1/plans/{plan.pk}/goals"
    skills = list(plan.target_role.requirements.values_list("skill_id", flat=True))

    for i in range(4):
        title = f"Interview customers, round {i}"
        alice_browser.submit(reverse("goals:edit", args=[goal.pk]), "", title=title)
        alice_browser.submit(
            reverse("plans:assess", args=[plan.pk]), "", **{f"level_{pk}": str(i % 3 + 1) for pk in skills}
        )
        ready = f"{CareerPlan.objects.get(pk=plan.pk).readiness().percent}% ready"
        gap = CareerPlan.objects.get(pk=plan.pk).skill_gaps()[0]
        for _ in range(2):
            assert ready in mentor.get(reverse("mentoring:people")), (
                f"people page is stale: {ready!r} missing"
            )
            cell = mentor.get(reverse("mentoring:skills") + "?show=level")
            assert f"{gap.current} of {gap.required}" in cell, "heatmap is stale"
            status, body, _ = api_get(web.base, goals_path, secret)
            assert status == 200 and title in body, f"the API's goals list is stale: {title!r} missing"

    assert len(web.answered_by()) >= 2, "one process answered everything: the test proved nothing"


def test_a_tokens_request_limit_is_one_count_across_the_processes(web, alice, settings):
    """120 requests a minute per token (API_REQUESTS_PER_MINUTE) whichever process answers each:
    the count is in the database, not in a process."""
    from api.tokens import token_create

    secret = token_create(user=alice, name="script")[1]
    answers = [api_get(web.base, "/api/v1/me", secret) for _ in range(settings.API_REQUESTS_PER_MINUTE + 5)]

    statuses = [status for status, _, _ in answers]
    assert statuses == [200] * settings.API_REQUESTS_PER_MINUTE + [429] * 5
    assert int(answers[-1][2]["Retry-After"]) >= 1
    assert len(web.answered_by()) >= 2, "one process answered everything: the test proved nothing"
