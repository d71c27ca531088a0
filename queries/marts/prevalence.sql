-- purpose: prevalence of each catalogue indicator per region (desa, kecamatan, kab/kota, provinsi) and period, with numerator, denominator and a 95% Wilson interval.
-- grain: one row per region_code x period_type x period_start x indicator
-- key: region_code, period_type, period_start, indicator
-- slice: region_code, period_type, period_start
-- params: none
with rolled as (
    select c.period_type, c.period_start, c.indicator, av.area_code as region_code, av.level,
           sum(c.numerator)::integer as numerator, sum(c.denominator)::integer as denominator
    from prevalence_village c
    join area_villages av on av.village_code = c.village_code
    group by all
)
select region_code, level, period_type, period_start, indicator, numerator, denominator,
       case when denominator > 0 then 100.0 * numerator / denominator end as prevalence,
       case when denominator > 0 then 100.0 * (p + z2 / (2 * n) - 1.959964 * sqrt(p * (1 - p) / n + z2 / (4 * n * n)))
                                           / (1 + z2 / n) end as ci_low,
       case when denominator > 0 then 100.0 * (p + z2 / (2 * n) + 1.959964 * sqrt(p * (1 - p) / n + z2 / (4 * n * n)))
                                           / (1 + z2 / n) end as ci_high
from (
    select *, numerator::double / nullif(denominator, 0) as p, denominator::double as n, 1.959964 ^ 2 as z2
    from rolled
)
