"""plans.mime writes, for the layer's shape of email, the very bytes Django's own
EmailMultiAlternatives.message().as_bytes() writes, and leaves every other shape to Django."""

import email
import email.policy
import re

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import BadHeaderError
from hypothesis import given, settings
from hypothesis import strategies as st

from plans.mime import AlternativesEmail, FlatMessage

# Derandomised, as the other fuzz tests: CI sees the same examples every run.
EXAMPLES = settings(max_examples=300, deadline=None, derandomize=True)

words = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=120),
    st.from_regex(r"[ -~]{0,120}", fullmatch=True),  # plain ASCII, where the writer takes shortcuts
)
# A long URL in angle brackets, as List-Unsubscribe carries: one word the policy cannot fold.
links = st.from_regex(r"<https://[a-z.]{3,20}/[A-Za-z0-9:_/=+.-]{10,150}>", fullmatch=True)
line_breaks = st.sampled_from(["\n", "\r\n", "\r", "\n\n", ""])
bodies = st.lists(st.tuples(words, line_breaks), min_size=1, max_size=12).map(
    lambda pieces: "".join(text + brk for text, brk in pieces)
)
names = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=30)
addresses = st.builds(
    lambda name, local, domain: f"{name} <{local}@{domain}>" if name.strip() else f"{local}@{domain}",
    names.filter(lambda n: not set(n) & set('<>"@,;:\\()[]')),
    st.from_regex(r"[a-z0-9][a-z0-9.+_-]{0,20}", fullmatch=True).filter(lambda s: ".." not in s),
    st.sampled_from(["example.com", "careerpath.local", "bücher.example", "a.b.example.org"]),
)
header_names = st.sampled_from(
    ["List-Unsubscribe", "List-Unsubscribe-Post", "X-Mailer", "Date", "Message-ID"]
)


def django_bytes(flat: FlatMessage, message: AlternativesEmail, linesep: str) -> bytes:
    """Django's own message for the same email: the flat message's date, Message-ID and boundary,
    passed the way Django takes them (headers it would otherwise make up)."""
    own = {"Date": flat._date, "Message-ID": flat._message_id}
    headers = {name: value for name, value in own.items() if value} | message.extra_headers
    twin = EmailMultiAlternatives(
        message.subject, message.body, message.from_email, message.to,
        headers=headers, reply_to=message.reply_to, alternatives=message.alternatives,
    )  # fmt: skip
    stdlib = twin.message()
    stdlib.set_boundary(flat._boundary)
    return stdlib.as_bytes(linesep=linesep)


def assert_same_bytes(message: AlternativesEmail) -> None:
    flat = message.message()
    assert isinstance(flat, FlatMessage)
    for linesep in ("\n", "\r\n"):
        assert flat.as_bytes(linesep=linesep) == django_bytes(flat, message, linesep)


def digest_like(html: str = "<!doctype html>\n<p>Hello <b>Alice</b></p>\n", **overrides) -> AlternativesEmail:
    fields = {
        "subject": "Time to check in: 2 goals on your career plan",
        "body": "Hello Alice,\n\nRun 6 customer interviews: 3 of 6 · 50%\n",
        "from_email": "CareerPath <noreply@careerpath.local>",
        "to": ["alice@example.com"],
        "headers": {
            "List-Unsubscribe": "<https://careerpath.example/goals/unsubscribe/MTIz:1xWZvm:J0ZbOAgKxs4dNxbPVTDx-3y/>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    }
    fields.update(overrides)
    message = AlternativesEmail(**fields)
    message.attach_alternative(html, "text/html")
    return message


def test_a_digest_is_byte_for_byte_what_django_writes():
    assert_same_bytes(digest_like())


def test_non_ascii_subjects_names_and_bodies_are_encoded_as_django_encodes_them():
    assert_same_bytes(
        digest_like(
            subject="Zeit für dein Gespräch – 3 Ziele “heute” 🎯" * 3,
            body="Grüße, Zoë\r\nnächste Schritte…\r\n",
            html="<p>Grüße 🎯</p>",
            to=["Zoë Ångström <zoe@bücher.example>"],
            reply_to=["José Núñez <jose@example.com>"],
        )
    )


def test_the_message_parses_to_the_same_text_html_and_headers():
    message = digest_like(body="Grüße\nline two\n", html="<p>Grüße</p>\n")
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    text, html = parsed.iter_parts()
    assert text.get_content() == "Grüße\nline two\n" and html.get_content() == "<p>Grüße</p>\n"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed["To"] == "alice@example.com" and parsed["Subject"] == message.subject


@EXAMPLES
@given(
    subject=words,
    body=bodies,
    html=bodies,
    to=st.lists(addresses, min_size=1, max_size=3),
    reply_to=st.lists(addresses, max_size=1),
    extra=st.dictionaries(
        header_names, st.one_of(links, words.filter(lambda v: not re.search(r"[\r\n]", v))), max_size=3
    ),
)
def test_any_email_of_the_shape_is_what_django_writes(subject, body, html, to, reply_to, extra):
    message = digest_like(
        subject=subject, body=body or "x", html=html, to=to, reply_to=reply_to, headers=extra
    )
    try:
        expected = message.message()
    except (BadHeaderError, ValueError, UnicodeError) as error:
        # Whatever Django refuses, the flat message refuses the same way.
        with pytest.raises(type(error)):
            django_message = EmailMultiAlternatives(subject, body or "x", to=to, headers=extra)
            django_message.attach_alternative(html, "text/html")
            django_message.message().as_bytes()
        return
    assert isinstance(expected, FlatMessage), "an email of the shape takes the fast path"
    assert_same_bytes(message)


def test_a_header_with_a_line_break_is_refused_as_django_refuses_it():
    with pytest.raises(BadHeaderError):
        digest_like(subject="Hello\nBcc: everyone@example.com").message().as_bytes()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda m: setattr(m, "body", "x" * 999), id="a line over 998 bytes"),
        pytest.param(lambda m: m.attach("plan.ics", "BEGIN:VCALENDAR", "text/calendar"), id="an attachment"),
        pytest.param(lambda m: setattr(m, "cc", ["bob@example.com"]), id="a copy"),
        pytest.param(lambda m: m.extra_headers.update({"To": "x@example.com"}), id="an address header"),
    ],
)
def test_other_shapes_go_through_djangos_message(change):
    message = digest_like()
    change(message)
    assert not isinstance(message.message(), FlatMessage)


def test_anything_but_bytes_is_asked_of_djangos_message_for_the_same_email():
    flat = digest_like().message()
    assert flat["Message-ID"] == flat._message_id and flat.get_content_type() == "multipart/alternative"
    assert flat.as_string(linesep="\r\n").encode() == flat.as_bytes(linesep="\r\n")
