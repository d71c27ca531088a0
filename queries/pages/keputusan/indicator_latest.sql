-- purpose: a prevalence indicator of one area in the latest period of a type starting on or before a day (the "now" a decision's baseline is compared with at the next meeting; the caller passes the last start whose period is complete).
-- grain: one row (none when the area has no children measured in such a period)
-- key: none
-- params: region, indicator, period_type, latest_start
select period_start, numerator, denominator, prevalence
from prevalence
where region_code = $region and indicator = $indicator and period_type = $period_type
  and period_start <= $latest_start and denominator > 0
order by period_start desc
limit 1
