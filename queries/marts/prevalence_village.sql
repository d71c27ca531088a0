-- purpose: per village, period and catalogue indicator the children counted for prevalence (numerator: below or above the cut-off, or oedema where it counts; denominator: a valid z-score or oedema); the prevalence mart rolls these up to every area.
-- grain: one row per village_code x period_type x period_start x indicator
-- key: village_code, period_type, period_start, indicator
-- slice: village_code, period_type, period_start
-- params: none
with child_indicator as (
    select c.child_id, c.period_type, c.period_start, c.village_code, r.indicator,
           case r.zscore when 'haz' then c.haz when 'waz' then c.waz else c.whz end as z,
           r.oedema_counts and case r.zscore when 'waz' then c.waz_oedema when 'whz' then c.whz_oedema
                                             else false end as oedema_case,
           r.comparison, r.cutoff
    from child_period_z c
    cross join ref_prevalence_indicators r
)
select period_type, period_start, indicator, village_code,
       count_if(z is not null or oedema_case) as denominator,
       count_if(oedema_case or (comparison = 'below' and z < cutoff) or (comparison = 'above' and z > cutoff))
           as numerator
from child_indicator
group by all
