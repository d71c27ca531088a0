-- purpose: posyandu of one area by computed strata per year, with the months reported, to show change over years.
-- grain: one row per year x computed_strata
-- params: region
select year, computed_strata, count(*) as posyandu, max(months_reported) as months_reported,
       count_if(posyandu_aktif) as aktif
from strata_posyandu_year
where starts_with(village_code, $region)
group by year, computed_strata
order by year, list_position(['pratama', 'madya', 'purnama', 'mandiri'], computed_strata)
