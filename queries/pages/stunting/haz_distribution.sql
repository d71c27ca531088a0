-- purpose: the HAZ distribution of one area and period in 0.25 SD bins, to draw against the WHO standard, with the number of children and their mean HAZ on every row.
-- grain: one row per bin
-- key: bin
-- params: region, period_type, period_start
select bin, children, haz_sum, haz_sq,
       sum(children) over () as total_children, sum(haz_sum) over () / sum(children) over () as haz_mean
from haz_distribution
where region_code = $region and period_type = $period_type and period_start = $period_start
order by bin
