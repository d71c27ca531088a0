-- purpose: one prevalence indicator for each area one level below the chosen one, in a period and in the previous comparable period (cases and denominators of both), for the ranking tables' change columns, the movers and the change map (issue 16 §3); previous_start null gives no comparison.
-- grain: one row per area code
-- key: code
-- values: indicator in prevalence
-- params: region, level, indicator, period_type, period_start, previous_start
with areas as (
    select distinct code, name from areas_within($region, $level) where code <> $region
)
select a.code, a.name, $indicator as indicator, now.numerator as cases, now.denominator as n,
       before.numerator as previous_cases, before.denominator as previous_n
from areas a
left join prevalence now on now.region_code = a.code and now.indicator = $indicator
     and now.period_type = $period_type and now.period_start = $period_start
left join prevalence before on before.region_code = a.code and before.indicator = $indicator
     and before.period_type = $period_type and before.period_start = $previous_start
order by a.code
