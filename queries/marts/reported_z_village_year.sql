-- purpose: the z-scores an export reports (e-PPGBM's ZS TB/U, ZS BB/TB, ZS BB/U) against the WHO recomputation, per village, year and prevalence indicator of the catalogue: records compared, records whose reported value falls on the other side of the indicator's cut-off, and the largest difference.
-- grain: one row per village_code x year x indicator, only where the export reported that z-score
-- key: village_code, year, indicator
-- slice: village_code, year
-- params: none
with pairs as (
    select m.village_code, date_trunc('year', m.measured_on)::date as year, i.indicator, i.comparison, i.cutoff,
           case i.zscore when 'haz' then m.haz when 'whz' then m.whz when 'waz' then m.waz end as ours,
           case i.zscore when 'haz' then m.reported_haz when 'whz' then m.reported_whz
                         when 'waz' then m.reported_waz end as reported
    from measurements m
    cross join ref_prevalence_indicators i
)
select village_code, year, indicator,
       count(ours)::integer as compared,
       count_if(case comparison when 'below' then (ours < cutoff) <> (reported < cutoff)
                                else (ours > cutoff) <> (reported > cutoff) end)::integer as status_disagrees,
       max(abs(ours - reported)) as largest_difference
from pairs
where reported is not null
group by all
