"""The bytes of the email layer's emails, written without the stdlib's generic MIME generator.

Every email CareerPath sends has one shape: multipart/alternative of a UTF-8 text part and a UTF-8
HTML part, with a handful of headers. For that shape, AlternativesEmail writes the very bytes
Django's EmailMultiAlternatives.message().as_bytes() writes (tests/core/test_mime.py compares
them byte for byte, random subjects, addresses, headers and bodies included) at a fraction of the
CPU: the reminder worker sends hundreds of digests a second, and email.generator was a fifth of
its time (bench/reminders.py). Header values are made safe and folded as Django's message() has
them (forbid_multi_line_headers, the compat32 policy); only the plain ASCII cases whose result is
known (a value that fits, one word that cannot be folded) are written directly.

Anything outside that shape (attachments, other alternatives, a line longer than RFC 5322's 998
bytes, which Django sends quoted-printable) goes through Django's own message() unchanged, and so
does every use of the message other than as_bytes() (FlatMessage builds the stdlib message, with
the same date, Message-ID and boundary, the moment anything else is asked of it).
"""

import functools
import random
import re
import smtplib
import sys
from email.policy import compat32
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends import smtp
from django.core.mail.message import (
    RFC5322_EMAIL_LINE_LENGTH_LIMIT,
    forbid_multi_line_headers,
    sanitize_address,
)
from django.core.mail.utils import DNS_NAME

# Django's message() sets these from the message's own fields; an extra header of the same name
# changes how, so such an email takes Django's path.
_OWN_HEADERS = {"from", "to", "cc", "reply-to"}
# A header the compat32 policy writes unchanged: printable ASCII words with single spaces that
# fit on one line (anything else is folded by the policy itself).
_PLAIN_VALUE = re.compile(r"[!-~]+(?: [!-~]+)*")
# One such word without the policy's split characters ("," and ";"), such as a URL: nowhere to fold.
_ONE_WORD = re.compile(r"[!-+\--:<-~]+")
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")  # as email.generator splits lines
_BOUNDARY_DIGITS = len(repr(sys.maxsize - 1))  # as email.generator makes boundaries


class SMTPBackend(smtp.EmailBackend):
    """Django's SMTP backend (EMAIL_URL smtp://… selects this one), with each address made safe
    for the envelope once per process instead of once per email: sanitize_address parses it with
    the stdlib's header parser, a tenth of a digest's CPU (bench/reminders.py). _send is Django's
    own otherwise."""

    def _send(self, email_message) -> bool:
        if not email_message.recipients():
            return False
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        from_email = _envelope_address(email_message.from_email, encoding)
        recipients = [_envelope_address(address, encoding) for address in email_message.recipients()]
        message = email_message.message()
        try:
            self.connection.sendmail(from_email, recipients, message.as_bytes(linesep="\r\n"))
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True


@functools.lru_cache(maxsize=1024)
def _envelope_address(address, encoding: str) -> str:
    return sanitize_address(address, encoding)


class AlternativesEmail(EmailMultiAlternatives):
    """An EmailMultiAlternatives whose message() is a FlatMessage when it has the layer's shape."""

    def message(self):
        if not self._has_the_shape():
            return super().message()
        return FlatMessage(self)

    def _has_the_shape(self) -> bool:
        return (
            bool(self.body)
            and not self.attachments
            and not self.cc
            and (self.encoding or settings.DEFAULT_CHARSET).lower() == "utf-8"
            and [mimetype for _, mimetype in self.alternatives] == ["text/html"]
            and isinstance(self.alternatives[0][0], str)
            and not any(name.lower() in _OWN_HEADERS for name in self.extra_headers)
            and not any(_has_long_lines(text) for text in (self.body, self.alternatives[0][0]))
        )


class FlatMessage:
    """What AlternativesEmail.message() returns: as_bytes() is written here; everything else is
    answered by the equivalent stdlib message (built on first use)."""

    def __init__(self, email: AlternativesEmail) -> None:
        self._email = email
        extra = {name.lower() for name in email.extra_headers}
        self._date = None if "date" in extra else formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
        self._message_id = None if "message-id" in extra else make_msgid(domain=DNS_NAME)
        self._parts = [_part("plain", email.body), _part("html", email.alternatives[0][0])]
        self._boundary = _boundary_for(self._parts)
        self._headers = self._top_headers()  # a header Django refuses is refused here, as in message()
        self._stdlib = None

    def _top_headers(self) -> list[tuple[str, str]]:
        """The top-level headers in Django's order, their values as Django's message() stores them."""
        email = self._email
        headers = [
            ("Content-Type", f'multipart/alternative; boundary="{self._boundary}"'),
            ("MIME-Version", "1.0"),
            ("Subject", email.subject),
            ("From", email.from_email),
        ]
        if email.to:
            headers.append(("To", ", ".join(str(address) for address in email.to)))
        if email.reply_to:
            headers.append(("Reply-To", ", ".join(str(address) for address in email.reply_to)))
        if self._date:
            headers.append(("Date", self._date))
        if self._message_id:
            headers.append(("Message-ID", self._message_id))
        headers += [(name, value) for name, value in email.extra_headers.items()]
        return [(name, value) if name == "Content-Type" else _safe(name, value) for name, value in headers]

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        if unixfrom:
            return self._as_stdlib().as_bytes(unixfrom=unixfrom, linesep=linesep)
        nl = linesep.encode("ascii")
        boundary = self._boundary.encode("ascii")
        out = [boundary.join(_content_type(len(boundary), linesep))]
        out += [_fold(name, value, linesep) for name, value in self._headers[1:]]
        out.append(nl)
        delimiter = b"--" + boundary
        for index, (headers, body) in enumerate(self._parts):
            out.append((nl if index else b"") + delimiter + nl)
            out.extend(_fold(name, value, linesep) for name, value in headers)
            out.append(nl)
            out.append(_lines(body, nl))
        out.append(nl + delimiter + b"--" + nl)
        return b"".join(out)

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self._as_stdlib().as_string(unixfrom=unixfrom, linesep=linesep)

    def _as_stdlib(self):
        """Django's message() for the same email, with this one's date, Message-ID and boundary."""
        if self._stdlib is None:
            email = self._email
            # Ahead of the email's own extra headers, where Django's message() puts its own.
            extra = {"Date": self._date, "Message-ID": self._message_id}
            extra = {name: value for name, value in extra.items() if value} | email.extra_headers
            twin = EmailMultiAlternatives(
                email.subject, email.body, email.from_email, email.to, email.bcc,
                headers=extra, reply_to=email.reply_to, alternatives=email.alternatives,
            )  # fmt: skip
            self._stdlib = twin.message()
            self._stdlib.set_boundary(self._boundary)
        return self._stdlib

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._as_stdlib(), name)

    def __getitem__(self, name):
        return self._as_stdlib()[name]


def _safe(name: str, value) -> tuple[str, str]:
    """The value Django's SafeMIME __setitem__ stores: no newlines (BadHeaderError), non-ASCII
    encoded, the subject run through email.header.Header (which leaves a plain one of up to 76
    characters as it is)."""
    if isinstance(value, str) and len(value) <= 76 and _PLAIN_VALUE.fullmatch(value):
        return name, value
    return forbid_multi_line_headers(name, value, "utf-8")


def _fold(name: str, value: str, linesep: str) -> bytes:
    """compat32's fold_binary, with the common cases written directly: a plain ASCII value that
    fits on the line, and a single word that does not (the policy moves it to a line of its own)."""
    if _PLAIN_VALUE.fullmatch(value):
        if len(name) + len(value) + 2 <= 78:
            return f"{name}: {value}{linesep}".encode("ascii")
        if _ONE_WORD.fullmatch(value):
            return f"{name}: {linesep} {value}{linesep}".encode("ascii")
    return compat32.clone(linesep=linesep).fold_binary(name, value)


@functools.cache
def _content_type(boundary_length: int, linesep: str) -> tuple[bytes, bytes]:
    """The folded multipart Content-Type header around its boundary. Folding happens only at
    spaces, "," and ";", which a boundary never holds: only its length matters."""
    placeholder = "=" * boundary_length
    value = f'multipart/alternative; boundary="{placeholder}"'
    before, after = (
        compat32.clone(linesep=linesep).fold_binary("Content-Type", value).split(placeholder.encode())
    )
    return before, after


def _part(subtype: str, text: str) -> tuple[list[tuple[str, str]], bytes]:
    """A SafeMIMEText part's headers and body bytes (utf-8, 7bit when the text is ASCII)."""
    body = text.encode("utf-8")
    encoding = "7bit" if text.isascii() else "8bit"
    headers = [
        ("Content-Type", f'text/{subtype}; charset="utf-8"'),
        ("MIME-Version", "1.0"),
        ("Content-Transfer-Encoding", encoding),
    ]
    return headers, body


def _lines(body: bytes, nl: bytes) -> bytes:
    """email.generator's _write_lines: every line break written as ``nl``, none added at the end."""
    if b"\r" in body:
        return _LINE_BREAK.sub(nl, body)
    return body if nl == b"\n" else body.replace(b"\n", nl)


def _has_long_lines(text: str) -> bool:
    """Whether a line may be longer than 998 bytes. Django breaks lines at more characters than
    "\\n" (str.splitlines), so this says yes a little more often than Django would: such an email
    then simply takes Django's path."""
    encoded = text.encode("utf-8", "surrogateescape")
    limit = RFC5322_EMAIL_LINE_LENGTH_LIMIT
    return len(encoded) > limit and max(map(len, encoded.split(b"\n"))) > limit


def _boundary_for(parts) -> str:
    """email.generator's boundary: fifteen '=', a random 19-digit number, '=='; one that appears
    in no part."""
    while True:
        boundary = "=" * 15 + f"{random.randrange(sys.maxsize):0{_BOUNDARY_DIGITS}d}" + "=="
        marker = b"--" + boundary.encode("ascii")
        if not any(marker in body for _, body in parts):
            return boundary
