-- purpose: stunting and severe stunting of the areas one level below the chosen one for a period, with numerators, denominators and intervals.
-- grain: one row per child region code
-- key: code
-- params: region, child_level, period_type, period_start
select r.code, r.name, s.numerator as stunted, s.denominator as children, s.prevalence as stunting_pct,
       s.ci_low, s.ci_high, v.numerator as severe, v.prevalence as severe_pct
from regions r
left join prevalence s on s.region_code = r.code and s.indicator = 'stunting'
     and s.period_type = $period_type and s.period_start = $period_start
left join prevalence v on v.region_code = r.code and v.indicator = 'severe_stunting'
     and v.period_type = $period_type and v.period_start = $period_start
where r.parent_code = $region and r.level = $child_level
order by s.prevalence desc nulls last, r.code
