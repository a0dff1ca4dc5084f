"""The participant statistics of each insats and calendar year, kept.

A year's statistics over every insats read 10 000+ participations with their
försörjning and status logs; summed from figures kept per insats and year
they are a few thousand small rows. The figures are computed on first read
(``participants.statistics.year_statistics``) and are valid while the
insats's ``FiguresVersion`` is the one they were computed at. The database
counts that version up in the same transaction as every insert, update and
delete of a participation, its försörjning or its status log (the triggers
below, on those tables), whoever writes: a service, the admin, a migration.
Nothing has to remember to invalidate them, and a reader that computed from
an older snapshot stores figures that are stale at once and recomputed on
the next read.
"""

from __future__ import annotations

import pgtrigger
from django.contrib.postgres.fields import ArrayField
from django.db import models

from projects.models import Project


class FiguresVersion(models.Model):
    """How many times an insats's participation data has changed."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.project_id}: {self.version}"


class FiguresCell(models.Model):
    """An insats's statistics for one calendar year, computed at ``version``
    with the age and time bands of ``bands`` (a fingerprint)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    bands = models.CharField(max_length=16)
    version = models.BigIntegerField()
    # The computing transaction: two readers that compute the same cell at
    # once each write their own rows; only the last one's count.
    token = models.BigIntegerField()
    # Who the participations are, for counting people across insatser (one
    # person in two insatser is one person).
    people = ArrayField(models.BigIntegerField(), default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "bands"], name="figurescell_one_per_year"
            )
        ]

    def __str__(self):
        return f"{self.project_id} {self.year}"


class Figure(models.Model):
    """One result row of the statistics (``participants.statistics``) for a cell."""

    cell = models.ForeignKey(FiguresCell, on_delete=models.CASCADE, related_name="figures")
    token = models.BigIntegerField()
    kind = models.CharField(max_length=20)
    key = models.TextField(null=True)
    key2 = models.TextField(null=True)
    n1 = models.BigIntegerField()
    n2 = models.BigIntegerField()
    n3 = models.BigIntegerField()
    n4 = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["cell", "token"], name="figure_cell_token")]

    def __str__(self):
        return f"{self.kind} {self.key} {self.key2}"


def _bump(projects_sql: str) -> str:
    return f"""
        INSERT INTO participants_figuresversion (project_id, version)
        SELECT DISTINCT project_id, 1 FROM ({projects_sql}) changed(project_id)
         WHERE project_id IS NOT NULL
         ORDER BY project_id
        ON CONFLICT (project_id) DO UPDATE
           SET version = participants_figuresversion.version + 1;
        RETURN NULL;
    """  # noqa: S608 - only this module's constants go in


def figures_stale(*, via_participation: bool = False) -> list[pgtrigger.Trigger]:
    """Statement triggers that count up the version of every insats whose
    rows the statement changed (a table with ``project_id``, or, with
    ``via_participation``, one with ``participation_id``). PostgreSQL gives a
    transition table to a trigger of one event only: three triggers."""

    def changed(table: str) -> str:
        if via_participation:
            return (
                f"SELECT p.project_id FROM {table} t "  # noqa: S608 - a transition table's name
                "JOIN participants_participation p ON p.id = t.participation_id"
            )
        return f"SELECT project_id FROM {table}"  # noqa: S608 - a transition table's name

    referencing = {
        "insert": pgtrigger.Referencing(new="new_rows"),
        "update": pgtrigger.Referencing(old="old_rows", new="new_rows"),
        "delete": pgtrigger.Referencing(old="old_rows"),
    }
    sources = {
        "insert": changed("new_rows"),
        "update": f"{changed('old_rows')} UNION ALL {changed('new_rows')}",
        "delete": changed("old_rows"),
    }
    operations = {
        "insert": pgtrigger.Insert,
        "update": pgtrigger.Update,
        "delete": pgtrigger.Delete,
    }
    return [
        pgtrigger.Trigger(
            name=f"figures_stale_{event}",
            when=pgtrigger.After,
            level=pgtrigger.Statement,
            operation=operations[event],
            referencing=referencing[event],
            func=_bump(sources[event]),
        )
        for event in ("insert", "update", "delete")
    ]
