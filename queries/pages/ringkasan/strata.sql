-- purpose: posyandu of one area by computed strata in a year, with how many reported the same strata and how many are Posyandu Aktif.
-- grain: one row per computed_strata
-- params: region, year
select computed_strata, count(*) as posyandu,
       count_if(reported_strata = computed_strata) as reported_same,
       count_if(posyandu_aktif) as aktif
from strata_posyandu_year
where starts_with(village_code, $region) and year = $year
group by computed_strata
