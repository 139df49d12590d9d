"""An upload's size, counted as it arrives: past the limit its bytes are no longer kept.

Django keeps an uploaded file whole (in memory, or a temporary file past 2.5 MB) before any
view reads it, however large. ``limit_upload(max_bytes)`` marks a view whose files may be at
most ``max_bytes`` (the plan import, the admin's ladder upload: each with its base.documents
limit); careerpath.middleware, which reads every form body first (for NUL bytes), calls
``install_upload_handlers`` to put the view's ``LimitedUpload`` in front of Django's. It passes
each chunk on until the limit, then drops the rest while counting it, and hands the view an
empty file of the size that arrived, so the form can say how large it was. The mark is an
attribute of the view, which decorators made with functools.wraps (the admin's admin_view
included) carry along.

Imports no app.
"""

from collections.abc import Callable
from functools import partial
from io import BytesIO
from typing import Any, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest
from django.urls import Resolver404, resolve

View = TypeVar("View", bound=Callable[..., Any])


class OversizedUpload(UploadedFile):
    """A file that arrived larger than its limit: its size, none of its bytes."""

    def __init__(self, name: str | None, content_type: str | None, size: int, charset: str | None) -> None:
        super().__init__(BytesIO(), name, content_type, size, charset)


class LimitedUpload(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None, *, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        # None: the handlers after this one (Django's, which keep the file) never see the chunk.
        return raw_data if self.received <= self.max_bytes else None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received <= self.max_bytes:
            return None  # the file Django's handlers kept
        return OversizedUpload(self.file_name, self.content_type, self.received, self.charset)


def limit_upload(max_bytes: int) -> Callable[[View], View]:
    """Mark a view: each file posted to it is kept up to ``max_bytes`` (see the module)."""

    def mark(view: View) -> View:
        marked: Any = view  # an attribute of the function, which a Callable's type does not have
        marked.upload_handlers = [partial(LimitedUpload, max_bytes=max_bytes)]
        return view

    return mark


def install_upload_handlers(request: HttpRequest) -> None:
    """Put the requested view's own upload handlers first; call before anything reads the body."""
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return
    handlers = getattr(view, "upload_handlers", ())
    if handlers:
        request.upload_handlers = [make(request) for make in handlers] + list(request.upload_handlers)
