-- purpose: posyandu of one area by computed strata per year, with the most months any posyandu reported that year, to show change over years.
-- grain: one row per year x computed_strata
-- key: year, computed_strata
-- values: computed_strata in strata.levels
-- params: region
select s.year, s.computed_strata, count(*) as posyandu,
       max(max(s.months_reported)) over (partition by s.year) as months_reported,
       count_if(s.posyandu_aktif) as aktif
from strata_posyandu_year s
join ref_strata_levels l on l.level = s.computed_strata
where starts_with(s.village_code, $region)
group by s.year, s.computed_strata, l.strata_rank
order by s.year, l.strata_rank
