"""CSV cells that a spreadsheet shows as text (CSV formula injection).

A cell that begins like a formula (= + - @, a tab or a carriage return) gets a leading
apostrophe, the guard. Excel in locales whose list separator is ";" (Spanish, French, German...)
opens a .csv file by splitting its lines on ";" too, so there every part of a cell after a ";"
is a cell of its own: such a part that begins like a formula gets the guard as well, and so does
a cell that begins with ";". A part that begins with the guard already gets another, so that
`csv_value` gives back exactly what `csv_cell` was given (an export imports unchanged)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEPARATOR = ";"
GUARD = "'"


def _begins_formula(part: str) -> bool:
    return part.lstrip(GUARD)[:1] in FORMULA_STARTS


def _head_needs_guard(head: str, more: bool) -> bool:
    """The part before the first ";": like a formula, or nothing (the cell begins with ";")."""
    return _begins_formula(head) or (more and not head.lstrip(GUARD))


def csv_cell(value) -> str:
    """A cell a spreadsheet shows as text, whether it splits lines on "," or on ";"."""
    text = "" if value is None else str(value)
    parts = text.split(SEPARATOR)
    if _head_needs_guard(parts[0], len(parts) > 1):
        parts[0] = GUARD + parts[0]
    for index in range(1, len(parts)):
        if _begins_formula(parts[index]):
            parts[index] = GUARD + parts[index]
    return SEPARATOR.join(parts)


def csv_value(cell: str) -> str:
    """What `csv_cell` was given, from what it wrote: for imports of exported files."""
    parts = cell.split(SEPARATOR)
    head = parts[0]
    if head[:1] == GUARD and _head_needs_guard(head[1:], len(parts) > 1):
        parts[0] = head[1:]
    for index in range(1, len(parts)):
        part = parts[index]
        if part[:1] == GUARD and _begins_formula(part[1:]):
            parts[index] = part[1:]
    return SEPARATOR.join(parts)
