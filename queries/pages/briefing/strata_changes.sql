-- purpose: posyandu of each area one level below the chosen one (or the area itself at desa level) whose computed strata went up, down or stayed the same from the year before to this year, with Purnama + Mandiri in both years, for the TP Posyandu briefing.
-- grain: one row per area code
-- key: code
-- params: region, child_level, year, previous_year
select a.code, a.name,
       count(m.rank_now)::integer as posyandu, count(m.rank_before)::integer as posyandu_before,
       count(*) filter (where m.good_now)::integer as purnama_mandiri, count(*) filter (where m.good_before)::integer as purnama_mandiri_before,
       count(*) filter (where m.rank_now > m.rank_before)::integer as moved_up,
       count(*) filter (where m.rank_now < m.rank_before)::integer as moved_down,
       count(*) filter (where m.rank_now = m.rank_before)::integer as unchanged
from strata_moves($region, $year, $previous_year) m
join areas_within($region, $child_level) a on a.village_code = m.village_code
group by a.code, a.name
order by moved_down desc, a.code
