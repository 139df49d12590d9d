"""The downloads' files read row by row, with every problem named by file, line and column.

ESCO publishes comma-separated files with quoted fields that may span lines; O*NET publishes
tab-separated text without quoting. Both are read with the csv module one record at a time, so
memory stays the size of a record whatever the file's size. Bytes are decoded a line at a time
(not by the file object) so a bad byte is named by its line and column too.
"""

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NoReturn

ESCO_DIALECT = {"delimiter": ",", "quotechar": '"', "strict": True}
ONET_DIALECT = {"delimiter": "\t", "quoting": csv.QUOTE_NONE, "strict": True}


class DownloadError(Exception):
    """A file of a download that cannot be imported; nothing of the download was written."""

    def __init__(self, path: Path, line: int, column: int | str, problem: str) -> None:
        self.path, self.line, self.column, self.problem = path, line, column, problem
        super().__init__(f"{path.name}, line {line}, column {column}: {problem}")


class _Lines:
    """The file's lines decoded one by one, counting lines and bytes for errors and progress."""

    def __init__(self, path: Path, handle: BinaryIO) -> None:
        self.path, self.handle = path, handle
        self.number = 0
        self.bytes_read = 0
        self.record: list[str] = []

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        raw = self.handle.readline()
        if not raw:
            raise StopIteration
        self.number += 1
        self.bytes_read += len(raw)
        if self.number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DownloadError(
                self.path, self.number, exc.start + 1, "not UTF-8 text (a damaged download?)"
            ) from exc
        self.record.append(text)
        return text


def _open_column(text: str, delimiter: str) -> int:
    """The column (1-based) where a quote opens and never closes in one record's text."""
    column, quoted, opened = 1, False, 1
    for char in text:
        if char == '"':
            quoted = not quoted
            opened = column if quoted else opened
        elif char == delimiter and not quoted:
            column += 1
    return opened


@dataclass(frozen=True)
class Row:
    path: Path
    line: int
    header: tuple[str, ...]
    values: tuple[str, ...]

    def __getitem__(self, name: str) -> str:
        return self.values[self.header.index(name)].strip()

    def error(self, name: str, problem: str) -> NoReturn:
        column = f"{self.header.index(name) + 1} ({name})"
        raise DownloadError(self.path, self.line, column, problem)

    def required(self, name: str, *, max_length: int = 255) -> str:
        value = self[name]
        if not value:
            self.error(name, "empty; every row needs one")
        if len(value) > max_length:
            self.error(name, f"longer than {max_length} characters")
        return value


class Reader:
    """Rows of one file, checked against the columns the importer needs."""

    def __init__(self, path: Path, *, dialect: dict, columns: tuple[str, ...]) -> None:
        self.path, self.dialect, self.columns = path, dialect, columns
        self.size = path.stat().st_size if path.exists() else 0
        self.lines: _Lines | None = None

    @property
    def fraction(self) -> float:
        return self.lines.bytes_read / self.size if self.lines and self.size else 1.0

    def __iter__(self) -> Iterator[Row]:
        if not self.path.is_file():
            raise DownloadError(self.path, 0, "-", "missing from the download's folder")
        with self.path.open("rb") as handle:
            self.lines = _Lines(self.path, handle)
            records = csv.reader(self.lines, **self.dialect)
            header = self._header(records)
            while True:
                start = self.lines.number + 1
                self.lines.record = []
                try:
                    values = next(records)
                except StopIteration:
                    return
                except csv.Error as exc:
                    column = _open_column("".join(self.lines.record), self.dialect["delimiter"])
                    raise DownloadError(
                        self.path, start, column, f"{exc} (a quote that never closes: a cut file?)"
                    ) from exc
                if values:
                    yield self._row(start, header, values)

    def _header(self, records: Iterator[list[str]]) -> tuple[str, ...]:
        try:
            header = tuple(name.strip() for name in next(records))
        except (StopIteration, csv.Error) as exc:
            raise DownloadError(self.path, 1, 1, "no header row (an empty file?)") from exc
        for name in self.columns:
            if name not in header:
                present = ", ".join(header)
                raise DownloadError(self.path, 1, name, f"missing from the header, which names: {present}")
        return header

    def _row(self, line: int, header: tuple[str, ...], values: list[str]) -> Row:
        if len(values) < len(header):
            missing = header[len(values)]
            raise DownloadError(
                self.path,
                line,
                f"{len(values) + 1} ({missing})",
                f"missing: the row ends after {len(values)} of {len(header)} fields (a cut file?)",
            )
        if len(values) > len(header):
            raise DownloadError(
                self.path, line, len(header) + 1, f"a field beyond the header's {len(header)} columns"
            )
        return Row(self.path, line, header, tuple(values))
