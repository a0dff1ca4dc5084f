"""What participant figures may show when they leave the system: the small
count rule (``is_small``: below the förbund's threshold, shown as "<5") and
complementary suppression (``hidden_cells``: one more count hidden as ".."
wherever a lone hidden one could be worked out from a published total).
The tables, charts, exports and the goals' outcomes all ask these."""

from __future__ import annotations

from finsam.models import Federation


def federation_threshold() -> int:
    return Federation.objects.current().small_count_threshold


def is_small(count: int, threshold: int) -> bool:
    """A count of people too small to show outside the system (the one rule;
    the tables, the charts and the goals' outcomes all ask it)."""
    return 0 < count < threshold


def suppress(count: int, threshold: int):
    """A count that leaves the system: below the threshold it is hidden."""
    if is_small(count, threshold):
        return f"<{threshold}"
    return count


# A count hidden only so that a small one cannot be worked out from the rest.
HIDDEN = ".."


def hidden_cells(
    table: list[list[int]], threshold: int, *, rows: bool = True, columns: bool = True
) -> list[list[bool]]:
    """Which counts of a table to hide when it leaves the system.

    ``table`` holds the counts with the totals that are published beside them
    as its last column and/or last row, so that every row and every column
    (of two or more cells) is a sum someone could do: parts and their total
    (``rows``/``columns`` False: the rows or columns are not such sums).
    A small count (``is_small``) is hidden. Then, so that no hidden count can
    be worked out from the others, every line that hides exactly one count
    hides one more, its smallest other count above zero (complementary
    suppression), until no line hides just one.
    """
    hidden = [[is_small(v, threshold) for v in row] for row in table]
    height, width = len(table), len(table[0]) if table else 0
    lines = [[(r, c) for c in range(width)] for r in range(height)] if rows and width > 1 else []
    if columns and height > 1:
        lines += [[(r, c) for r in range(height)] for c in range(width)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(hidden[r][c] for r, c in line) != 1:
                continue
            others = [(table[r][c], r, c) for r, c in line if not hidden[r][c] and table[r][c]]
            if others:
                _value, r, c = min(others)
                hidden[r][c] = True
                changed = True
    return hidden


def shown_count(value: int, hide: bool, threshold: int):
    """A count as it may leave the system: "<5" if small, ".." if hidden so
    that a small one cannot be worked out, else the number."""
    if is_small(value, threshold):
        return f"<{threshold}"
    return HIDDEN if hide else value


def protected(counts: list[int], threshold: int) -> list:
    """A distribution whose total is published (kön, åldersgrupp …), as it may
    leave the system: small counts as "<5", and one more count hidden as ".."
    where a single hidden one could otherwise be worked out from the total."""
    hidden = hidden_cells([[v] for v in [*counts, sum(counts)]], threshold)
    return [shown_count(v, hide[0], threshold) for v, hide in zip(counts, hidden, strict=False)]


def protected_row(counts: list[int], threshold: int) -> list:
    """Parts and their published total, side by side (an insats's people by
    kön and in all), as they may leave the system; the total is the last."""
    row = [*counts, sum(counts)]
    hidden = hidden_cells([row], threshold)[0]
    return [shown_count(v, hide, threshold) for v, hide in zip(row, hidden, strict=True)]
