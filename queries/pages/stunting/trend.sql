-- purpose: stunting and severe stunting of one area by month or quarter, with 95% Wilson intervals, numerators and denominators.
-- grain: one row per indicator x period_start
-- key: indicator, period_start
-- values: indicator in prevalence
-- params: region, period_type
select indicator, period_start, numerator, denominator, prevalence, ci_low, ci_high
from prevalence
where region_code = $region and period_type = $period_type and indicator in ('stunting', 'severe_stunting')
order by indicator, period_start
