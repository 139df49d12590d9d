"""The Jinja2 environment of the email layer's templates (templates/emails/, the "emails" engine in
settings.TEMPLATES). Emails are rendered with Jinja2, not the Django template language, because a
reminder worker renders hundreds of digests a second and Jinja2 renders them about five times
faster (bench/reminders.py). The pages stay Django templates.

HTML templates are autoescaped and text templates are not, as the Django versions were with
``{% autoescape off %}``. The filters are Django's own, so a date or a line break reads as on
the pages.
"""

from django.template.defaultfilters import linebreaksbr
from django.utils.formats import date_format
from jinja2 import Environment, select_autoescape


def environment(**options) -> Environment:
    options["autoescape"] = select_autoescape(["html"], default_for_string=False, default=False)
    options["keep_trailing_newline"] = True  # as Django's templates, whose files end in a newline
    env = Environment(**options)
    env.filters["date"] = date_format
    env.filters["linebreaksbr"] = linebreaksbr  # Django's escapes, then marks the <br>s safe
    return env
