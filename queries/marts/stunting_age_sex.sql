-- purpose: stunting (HAZ below the catalogue cut-offs) per area, period, age group and sex, for the Stunting page's breakdown; age groups are those of the SKDN F2 form.
-- grain: one row per region_code x period_type x period_start x age_group x sex
-- key: region_code, period_type, period_start, age_group, sex
-- slice: region_code, period_type, period_start
-- params: none
select av.area_code as region_code, av.level, c.period_type, c.period_start, c.age_group, c.sex,
       sum(c.children)::integer as children, sum(c.stunted)::integer as stunted, sum(c.severe)::integer as severe
from stunting_age_sex_village c
join area_villages av on av.village_code = c.village_code
group by all
