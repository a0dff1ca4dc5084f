"""The participant statistics' SQL (``participants.statistics``): one
statement from which every figure of a period comes, per scope or per insats
(the kept figures, ``participants.kept_figures``)."""

# The figures' statement: the scoped, active participations once into a CTE
# with their derived columns, their försörjning and status log into two more,
# and every figure a GROUP BY over those, per ``grp`` (0 for one scope, the
# insats for the kept figures). Each row is (grp, kind, key, key2, n1..n4).
FIGURES_CTES = """
WITH a AS MATERIALIZED ({active}),
inc AS MATERIALIZED (
    SELECT a.grp, i.participation_id, i.phase, i.source_id, a.is_ended
      FROM participants_participationincome i JOIN a ON a.id = i.participation_id
),
st AS MATERIALIZED (
    SELECT a.grp, s.participation_id, s.kind_id, s.date, s.id
      FROM participants_statusentry s JOIN a ON a.id = s.participation_id
     WHERE s.date <= %s
)"""

FIGURES_SQL = """
SELECT grp, 'total', NULL, NULL, COUNT(*), COUNT(DISTINCT participant_id),
       COUNT(*) FILTER (WHERE is_started), COUNT(*) FILTER (WHERE is_ended)
  FROM a GROUP BY grp
UNION ALL
SELECT grp, 'anonymous', NULL, NULL, COUNT(*), 0, 0, 0
  FROM a WHERE participant_id IS NULL GROUP BY grp
UNION ALL
SELECT grp,
       CASE WHEN GROUPING(age_band) = 0 AND GROUPING(sex) = 0 THEN 'agesex'
            WHEN GROUPING(sex) = 0 THEN 'sex'
            WHEN GROUPING(age_band) = 0 THEN 'age'
            WHEN GROUPING(kommun_id) = 0 THEN 'kommun'
            WHEN GROUPING(exit_reason_id) = 0 THEN 'exit'
            WHEN GROUPING(occupation_after_id) = 0 THEN 'occupation'
            ELSE 'duration' END,
       CASE WHEN GROUPING(age_band) = 0 THEN age_band::text
            WHEN GROUPING(sex) = 0 THEN sex
            WHEN GROUPING(kommun_id) = 0 THEN kommun_id::text
            WHEN GROUPING(exit_reason_id) = 0 THEN exit_reason_id::text
            WHEN GROUPING(occupation_after_id) = 0 THEN occupation_after_id::text
            ELSE band::text END,
       CASE WHEN GROUPING(age_band) = 0 AND GROUPING(sex) = 0 THEN sex
            ELSE is_ended::text END,
       COUNT(*), COALESCE(SUM(days), 0), COUNT(days), 0
  FROM a
 GROUP BY grp, GROUPING SETS ((sex), (age_band), (age_band, sex), (kommun_id),
                              (is_ended, exit_reason_id), (is_ended, occupation_after_id),
                              (is_ended, band))
UNION ALL
SELECT grp, 'income', phase, source_id::text, COUNT(*), COUNT(*) FILTER (WHERE is_ended), 0, 0
  FROM inc GROUP BY grp, phase, source_id
UNION ALL
SELECT grp, 'recorded', phase, NULL, COUNT(*), COUNT(*) FILTER (WHERE is_ended), 0, 0
  FROM (SELECT DISTINCT grp, participation_id, phase, is_ended FROM inc) recorded
 GROUP BY grp, phase
UNION ALL
SELECT b.grp, 'cross', b.source_id::text, f.source_id::text, COUNT(*), 0, 0, 0
  FROM inc b
  -- The table, not the CTE: the planner cannot size a CTE's self-join and
  -- would loop over every pair.
  JOIN participants_participationincome f ON f.participation_id = b.participation_id
 WHERE b.phase = 'fore' AND f.phase = 'efter' AND b.is_ended
 GROUP BY b.grp, b.source_id, f.source_id
UNION ALL
SELECT grp, 'reached', kind_id::text, NULL, COUNT(DISTINCT participation_id), 0, 0, 0
  FROM st GROUP BY grp, kind_id
UNION ALL
SELECT grp, 'latest', kind_id::text, NULL, COUNT(*), 0, 0, 0
  FROM (SELECT DISTINCT ON (participation_id) grp, kind_id
          FROM st ORDER BY participation_id, date DESC, id DESC) latest
 GROUP BY grp, kind_id
"""

STATISTICS_SQL = (
    FIGURES_CTES
    + """
SELECT kind, key, key2, n1, n2, n3, n4
  FROM ({figures}) f(grp, kind, key, key2, n1, n2, n3, n4)
{labels}
"""
)
