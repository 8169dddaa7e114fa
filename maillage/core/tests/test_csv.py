"""core.csv: cells written from their typed values; only text that a spreadsheet would
run as a formula gets the quote."""

from decimal import Decimal

import pytest

from maillage.core.csv import cell, row


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-0.41, -0.41),
        (43.6, 43.6),
        (-3, -3),
        (Decimal("-1.50"), Decimal("-1.50")),
        (None, ""),
        (True, "True"),
        ("Jardin partagé", "Jardin partagé"),
        # Numbers and phone numbers written as text: nothing to run.
        ("-0.41", "-0.41"),
        ("+33 6 12 34 56 78", "+33 6 12 34 56 78"),
        ("+33 (0)6 12 34 56 78", "+33 (0)6 12 34 56 78"),
        ("-", "-"),
        # Text that a spreadsheet would run as a formula.
        ('=HYPERLINK("https://exemple.org","clic")', '\'=HYPERLINK("https://exemple.org","clic")'),
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("- une liste", "'- une liste"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        (["Alimentation", "Énergie"], "Alimentation | Énergie"),
        (["=1+1", "Énergie"], "'=1+1 | Énergie"),
    ],
)
def test_cell(value, expected):
    assert cell(value) == expected
    assert type(cell(value)) is type(expected)


def test_row():
    assert row([1, -0.5, "=x", None]) == [1, -0.5, "'=x", ""]
