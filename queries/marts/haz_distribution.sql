-- purpose: distribution of the children's latest valid HAZ per area and period in 0.25 SD bins (-6 to +6), to draw against the WHO standard normal curve; with mean and SD of HAZ per area for data quality.
-- grain: one row per region_code x period_type x period_start x bin
-- key: region_code, period_type, period_start, bin
-- slice: region_code, period_type, period_start
-- params: none
select av.area_code as region_code, c.period_type, c.period_start, c.bin,
       sum(c.children)::integer as children, sum(c.haz_sum)::double as haz_sum, sum(c.haz_sq)::double as haz_sq
from haz_distribution_village c
join area_villages av on av.village_code = c.village_code
group by all
