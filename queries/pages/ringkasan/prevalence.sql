-- purpose: each prevalence indicator of the catalogue for one area and period, beside the same period before it.
-- grain: one row per indicator
-- key: indicator
-- values: indicator in prevalence
-- params: region, period_type, period_start, previous_start
select i.indicator, p.numerator, p.denominator, p.prevalence, p.ci_low, p.ci_high,
       q.numerator as previous_numerator, q.denominator as previous_denominator, q.prevalence as previous_prevalence
from ref_prevalence_indicators i
left join prevalence p on p.indicator = i.indicator and p.region_code = $region
     and p.period_type = $period_type and p.period_start = $period_start
left join prevalence q on q.indicator = i.indicator and q.region_code = $region
     and q.period_type = $period_type and q.period_start = $previous_start
order by i.indicator
