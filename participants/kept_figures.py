"""The participant statistics of a calendar year, summed from the figures
kept per insats and year (``participants.models.figures``): the same tables
as ``participants.statistics.statistics`` computes, in two queries."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import connection
from django.db.models import F

from participants.figures_sql import FIGURES_CTES, FIGURES_SQL
from participants.models import Participation
from participants.statistics import (
    Statistics,
    _active,
    _all_labels,
    _statistics_from_rows,
    statistics,
)

# Counted up when FIGURES_SQL changes what a row means: older cells are then
# never read again.
FIGURES_FORMAT = 1


def _bands() -> str:
    """The cells' fingerprint: what their keys mean (the bands are settings)."""
    text = repr((FIGURES_FORMAT, settings.FINSAM_AGE_BANDS, settings.FINSAM_DURATION_BANDS))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


CURRENT_CELLS = """
SELECT c.id, c.token, c.people, c.project_id
  FROM participants_figurescell c
  LEFT JOIN participants_figuresversion v ON v.project_id = c.project_id
 WHERE c.year = %s AND c.bands = %s AND c.version = COALESCE(v.version, 0)
"""

MISSING_SQL = """
SELECT s.id FROM ({scope}) s(id)
 WHERE NOT EXISTS (SELECT 1 FROM ({cells}) c WHERE c.project_id = s.id)
"""

COMPUTE_SQL = (
    FIGURES_CTES  # noqa: S608 - only this module's constants go in
    + """,
figs AS ({figures}),
people AS (
    SELECT grp, array_agg(DISTINCT participant_id) FILTER (WHERE participant_id IS NOT NULL) ids
      FROM a GROUP BY grp
),
cells AS (
    INSERT INTO participants_figurescell (project_id, year, bands, version, token, people)
    SELECT m.id, %s, %s, COALESCE(v.version, 0), txid_current(), COALESCE(p.ids, '{{}}')
      FROM unnest(%s::bigint[]) m(id)
      LEFT JOIN participants_figuresversion v ON v.project_id = m.id
      LEFT JOIN people p ON p.grp = m.id
    ON CONFLICT (project_id, year, bands) DO UPDATE
       SET version = EXCLUDED.version, token = EXCLUDED.token, people = EXCLUDED.people
    RETURNING id, project_id, token
),
gone AS (DELETE FROM participants_figure f USING cells c WHERE f.cell_id = c.id)
INSERT INTO participants_figure (cell_id, token, kind, key, key2, n1, n2, n3, n4)
SELECT c.id, c.token, f.kind, f.key, f.key2, f.n1, f.n2, f.n3, f.n4
  FROM figs f(grp, kind, key, key2, n1, n2, n3, n4) JOIN cells c ON c.project_id = f.grp
"""  # noqa: S608 - only this module's constants go in
)

READ_SQL = """
WITH c AS MATERIALIZED ({cells} AND c.project_id IN ({scope}))
SELECT f.kind, f.key, f.key2, SUM(f.n1)::bigint, SUM(f.n2)::bigint,
       SUM(f.n3)::bigint, SUM(f.n4)::bigint
  FROM participants_figure f JOIN c ON c.id = f.cell_id AND c.token = f.token
 GROUP BY f.kind, f.key, f.key2
UNION ALL
SELECT 'people', NULL, NULL, (SELECT COUNT(DISTINCT p) FROM c, unnest(c.people) p), 0, 0, 0
{labels}
"""


def year_statistics(projects, year: int) -> Statistics:
    """``statistics`` of the participations of ``projects`` (a queryset of
    whole insatser) in the calendar year, summed from the figures kept per
    insats and year: two queries, three when an insats's figures are missing
    or stale and are computed (once, for all of them together)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    scope, scope_params = projects.order_by().values("pk").query.sql_with_params()
    cells_params = [year, _bands()]
    with connection.cursor() as cursor:
        cursor.execute(
            MISSING_SQL.format(scope=scope, cells=CURRENT_CELLS),
            [*scope_params, *cells_params],
        )
        missing = [pk for (pk,) in cursor.fetchall()]
        if missing:
            active, params = _active(
                Participation.objects.filter(project_id__in=missing),
                start=start,
                end=end,
                grp=F("project_id"),
            )
            cursor.execute(
                COMPUTE_SQL.format(active=active, figures=FIGURES_SQL),
                [*params, end, year, _bands(), missing],
            )
        labels, label_params = _all_labels()
        cursor.execute(
            READ_SQL.format(cells=CURRENT_CELLS, scope=scope, labels=labels),
            [*cells_params, *scope_params, *label_params],
        )
        rows = cursor.fetchall()
    return _statistics_from_rows(rows, start=start, end=end)


def period_statistics(projects, *, start: dt.date, end: dt.date) -> Statistics:
    """The statistics of whole insatser for a period: from the kept figures
    when the period is a calendar year, computed otherwise."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return year_statistics(projects, start.year)
    return statistics(Participation.objects.filter(project__in=projects), start=start, end=end)
