"""An upload's size is counted as it arrives, and past a view's limit its bytes are not kept
(base.uploads): a 1 GB file posted to the import page is counted, never stored."""

from django.core.files.uploadhandler import MemoryFileUploadHandler, StopFutureHandlers

from base.uploads import LimitedUpload, OversizedUpload


def _receive(handlers, chunks: list[bytes]):
    """What Django's MultiPartParser does with one file: each chunk down the chain of handlers
    until one returns None, then the first file a handler completes."""
    for handler in handlers:
        try:
            handler.new_file("file", "big.json", "application/json", None)
        except StopFutureHandlers:
            break
    start = 0
    for chunk in chunks:
        for handler in handlers:
            chunk = handler.receive_data_chunk(chunk, start)
            if chunk is None:
                break
        start += len(chunk or b"")
    return next(f for handler in handlers if (f := handler.file_complete(start)))


def test_a_file_within_the_limit_is_kept_whole():
    kept = MemoryFileUploadHandler()
    kept.activated = True
    upload = _receive([LimitedUpload(max_bytes=10), kept], [b"12345", b"67890"])
    assert upload.read() == b"1234567890"


def test_past_the_limit_nothing_more_is_kept_and_the_size_is_counted():
    kept = MemoryFileUploadHandler()
    kept.activated = True
    upload = _receive([LimitedUpload(max_bytes=10), kept], [b"12345", b"67890", b"x" * 1000, b"y" * 1000])
    assert isinstance(upload, OversizedUpload)
    assert upload.size == 2010 and upload.read() == b""
    assert kept.file.getvalue() == b"1234567890"  # Django's handler never saw the rest
