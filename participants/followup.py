"""Uppföljning Finsam: people per insats in a year, by kön (the figures the
national follow-up asks for)."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from participants.models import Sex
from participants.statistics import active_between

FOLLOWUP_SQL = """
SELECT project_id, sex, GROUPING(sex) = 1,
       COUNT(DISTINCT participant_id) + COUNT(*) FILTER (WHERE participant_id IS NULL)
  FROM ({active}) a
 GROUP BY GROUPING SETS ((project_id, sex), (project_id))
"""


def followup_rows(participations, *, year: int):
    """Uppföljning Finsam: people per insats in the year, by kön.

    One pass over the year's participations grouped by insats and kön and by
    insats alone (a person counts once per kön and once in the total), then
    the insatser's names: the grouping runs over small integers, not over
    the names joined in, so it sorts in memory at bench scale."""
    from projects.models import Project

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    active = (
        participations.filter(active_between(start, end))
        .values("id", "project_id", "participant_id", "sex")
        .order_by()
    )
    sql, params = active.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(FOLLOWUP_SQL.format(active=sql), params)
        counted = cursor.fetchall()
    by_project: dict[int, dict] = {}
    for project_id, sex, is_total, persons in counted:
        row = by_project.setdefault(project_id, {s.value: 0 for s in Sex})
        row["total" if is_total else sex] = persons
    projects = (
        Project.objects.filter(pk__in=by_project)
        .order_by("reference")
        .values_list("pk", "reference", "name")
    )
    return [
        {"project": pk, "project__reference": reference, "project__name": name} | by_project[pk]
        for pk, reference, name in projects
    ]
