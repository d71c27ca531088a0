-- purpose: posyandu per computed strata in each area one level below the chosen one (or the area itself at desa level) for a year.
-- grain: one row per area code x computed_strata
-- key: code, computed_strata
-- values: computed_strata in strata.levels
-- params: region, child_level, year
select a.code, a.name, s.computed_strata, count(*) as posyandu
from strata_posyandu_year s
join areas_within($region, $child_level) a on a.village_code = s.village_code
where s.year = $year
group by all
order by a.code
