"""Revalidation of the API's reads by ETag."""

import hashlib

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import get_conditional_response


def revalidated(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A read's 200 with an ETag of its body, or 304 when the client sent that ETag back."""
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        response["ETag"] = '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
        response["Cache-Control"] = "private, no-cache"
        response["Vary"] = "Authorization"
        conditional = get_conditional_response(request, etag=response["ETag"], response=response)
        if isinstance(conditional, HttpResponseNotModified):
            return conditional
    return response
