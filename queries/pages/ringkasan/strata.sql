-- purpose: posyandu of one area by computed strata in a year (every level of the catalogue, in its order), with how many reported the same strata and how many are Posyandu Aktif.
-- grain: one row per computed_strata
-- key: computed_strata
-- values: computed_strata in strata.levels
-- params: region, year
select l.level as computed_strata, count(s.posyandu_id) as posyandu,
       count_if(s.reported_strata = s.computed_strata) as reported_same,
       count_if(s.posyandu_aktif) as aktif
from ref_strata_levels l
left join strata_posyandu_year s on s.computed_strata = l.level and starts_with(s.village_code, $region)
     and s.year = $year
group by l.level, l.strata_rank
order by l.strata_rank
