"""The API's request bodies: JSON, refused whole with 422 and each place named when it holds text
no page could show or the database store (a NUL character, half of a UTF-16 surrogate pair), or a
field name or text past the documents' limits: base.document_limits, the rule the import keeps.
Ninja turns what a parser raises into a 400 raised from it; api.problems.http_problem answers
that one with the fields."""

from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser

from api.problems import InvalidFields
from base.document_limits import Limits, beyond_limits, format_path

REQUEST = Limits(document="a request", bytes=0)  # the size is the web server's and Django's limit


class CheckedParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        body = super().parse_body(request)
        problems = beyond_limits(body, REQUEST)
        if problems:
            raise InvalidFields(
                {format_path(path or []) or "__all__": [problem] for path, problem in problems}
            )
        return body
