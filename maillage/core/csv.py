"""CSV cells for spreadsheets: the one way every CSV of the site writes a value.

A spreadsheet runs a cell that starts with = + - @ (or a tab, a carriage return) as a
formula: text written by members (a name, a description) must not start one, so such text
gets a leading quote, as OWASP advises. Escaping the text of every cell corrupted the
data, though: a longitude of -0.41 came out as `'-0.41`, a phone number as `'+33 6 …`.
So cells are written from their typed values:

- numbers (int, float, Decimal; not booleans) stay numbers: `-0.41`;
- text made only of digits, spaces and `+ - . , ( ) /` (a number or a phone number
  written as text) stays as it is: no function, reference, string or link can be written
  with these characters, so a spreadsheet that reads it as a formula computes at worst
  arithmetic;
- any other text that starts with = + - @ tab or CR gets a leading `'`;
- a list is one cell, its items joined by « | »; None is an empty cell.
"""

import re
from collections.abc import Iterable
from decimal import Decimal

BOM = "\ufeff"  # UTF-8 with a byte order mark: Excel then reads the accents right
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = " | "
_NUMBER_LIKE = re.compile(r"[0-9 \u00a0\u202f+\-.,()/]+")


def cell(value) -> str | int | float | Decimal:
    """A value as a CSV cell: numbers as numbers, text that a spreadsheet would run as a
    formula behind a quote (see the module's docstring)."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    if isinstance(value, list | tuple):
        value = LIST_SEPARATOR.join("" if v is None else str(v) for v in value)
    text = str(value)
    if text.startswith(FORMULA_START) and not _NUMBER_LIKE.fullmatch(text):
        return "'" + text
    return text


def row(values: Iterable) -> list:
    return [cell(value) for value in values]
