"""CSV files that people edit in spreadsheets: read them right or refuse loudly.

Gradebooks, manual-score sheets and rosters pass through Excel, LibreOffice
or Google Sheets, which save them in the user's locale. `read_table` accepts
what they write and rejects what it cannot read for sure:

- a UTF-8 byte-order mark (Excel's "CSV UTF-8") is dropped;
- the separator is ``,``, ``;`` (locales with a decimal comma) or a tab,
  chosen as the one whose header row has the required columns;
- columns may come in any order; surrounding spaces in names and values go;
- empty lines are skipped.

`parse_number` reads ``1.5`` and ``1,5`` as 1.5 and raises `GradingError`
for anything else that is not plainly a number (``1.234,5``, ``two``,
``nan``), naming the file, line and column, so a typo never becomes 0
points.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from course_lib.errors import GradingError

_DELIMITERS = (",", ";", "\t")
_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


@dataclass(frozen=True)
class Table:
    """The rows of a CSV file read by `read_table`.

    Attributes:
        path: the file.
        columns: header names, in file order, stripped.
        rows: ``(line number, {column: value})`` pairs, values stripped.
        delimiter: the separator found.
    """

    path: Path
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]
    delimiter: str


def read_table(path: str | Path, required: tuple[str, ...], what: str) -> Table:
    """Read a CSV file that may have been saved by a spreadsheet.

    Args:
        path: the file.
        required: columns that must be present (in any order).
        what: what the file is, for messages (``"gradebook"``).

    Returns:
        A `Table`.

    Raises:
        GradingError: the file is missing, not UTF-8, has no header with the
            required columns for any separator, or repeats a column.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GradingError(
            f"Cannot read the {what} file. Received: {str(path)!r} ({exc.strerror})",
            hint="check the path",
        ) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GradingError(
            f"{path}: the {what} is not UTF-8 text (byte {exc.start})",
            hint='save it from the spreadsheet as "CSV UTF-8 (comma delimited)"',
        ) from exc
    best: tuple[int, str, list[list[str]]] | None = None
    for delimiter in _DELIMITERS:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        header = [c.strip() for c in records[0]] if records else []
        found = sum(name in header for name in required)
        if best is None or found > best[0]:
            best = (found, delimiter, records)
    assert best is not None
    found, delimiter, records = best
    header = [c.strip() for c in records[0]] if records else []
    missing = [name for name in required if name not in header]
    if missing:
        raise GradingError(
            f"{path}: the {what} has no column {missing[0]!r}. Expected columns "
            f"{list(required)}. Received header: {header}",
            hint="keep the header row; separators may be ',', ';' or tabs",
        )
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        raise GradingError(
            f"{path}: the {what} repeats the columns {repeated}",
            hint="delete the duplicated columns",
        )
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(value.strip() for value in record):
            continue
        if len(record) > len(header) and any(v.strip() for v in record[len(header) :]):
            raise GradingError(
                f"{path}, line {number}: more values ({len(record)}) than columns "
                f"({len(header)}). Received: {record!r}",
                hint="a value with the separator in it must be quoted; check the separator",
            )
        values = {
            name: (record[i].strip() if i < len(record) else "") for i, name in enumerate(header)
        }
        rows.append((number, values))
    return Table(path, header, rows, delimiter)


def parse_number(text: str, where: str) -> float | None:
    """A spreadsheet cell as a number: ``""`` -> ``None``, ``1,5`` -> 1.5.

    Args:
        text: the cell's text.
        where: ``"file, line N, column C"`` for the message.

    Raises:
        GradingError: not plainly a number (thousands separators, words,
            ``nan``/``inf``).
    """
    text = text.strip()
    if not text:
        return None
    if not _NUMBER.fullmatch(text):
        raise GradingError(
            f"{where}: not a number. Received: {text!r}",
            hint="write points like 1.5 or 1,5 (no units, no thousands separators)",
        )
    value = float(text.replace(",", "."))
    if not math.isfinite(value):
        raise GradingError(f"{where}: not a finite number. Received: {text!r}")
    return value
