-- purpose: the HAZ distribution of one area and period in 0.25 SD bins, to draw against the WHO standard.
-- grain: one row per bin
-- params: region, period_type, period_start
select bin, children, haz_sum, haz_sq
from haz_distribution
where region_code = $region and period_type = $period_type and period_start = $period_start
order by bin
