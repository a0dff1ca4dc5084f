"""Spreadsheet safety: text that a spreadsheet would run as a formula.

OWASP's list is = + - @ tab and carriage return (| and % are added for older
Excel versions, as defusedcsv does). defusedcsv covers only the csv writer
and leaves tab and CR alone, so the rule lives here, for CSV and XLSX alike.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "|", "%")


def neutralise(value):
    """Prefix text that would start a formula with an apostrophe; numbers pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
