-- purpose: the data-quality checks beyond the catalogue's limits (ref_limits, from [briefing] and [small_numbers]) in a year, for the chosen area as a whole and each area one level below it (child_level '': the area only): flagged z-scores, method mismatches, SD of HAZ out of range, digit preference, reporting completeness; with how many areas fail each check. No rows: healthy.
-- grain: one row per area code x check
-- key: code, check
-- params: region, child_level, year
with quality as (
    select * from area_quality($region, '', $year)
    union all
    select * from area_quality($region, $child_level, $year) where $child_level <> ''
),
digits as (
    select * from area_digit_preference($region, '', $year)
    union all
    select * from area_digit_preference($region, $child_level, $year) where $child_level <> ''
),
warnings as (
    select code, name, 'flagged' as "check", flagged_pct as value, measurements as records, 1 as check_order
    from quality, ref_limits l
    where measurements > 0 and flagged_pct > l.max_flagged_pct
    union all
    select code, name, 'method', method_mismatch_pct, measurements, 2
    from quality, ref_limits l
    where measurements > 0 and method_mismatch_pct > l.max_method_mismatch_pct
    union all
    select code, name, 'haz_sd', haz_sd, children_haz, 3
    from quality, ref_limits l
    where children_haz >= l.min_denominator and not (haz_sd between l.haz_sd_low and l.haz_sd_high)
    union all
    select code, name, 'dps_' || quantity, score, records, 4
    from digits, ref_limits l
    where records >= l.min_digit_records and score >= l.max_digit_preference
    union all
    select code, name, 'completeness', coalesce(completeness_pct, 0), posyandu, 5
    from quality, ref_limits l
    where posyandu > 0 and coalesce(completeness_pct, 0) < l.min_completeness_pct
)
select code, name, "check", value::double as value, records::integer as records,
       count(*) over (partition by "check")::integer as areas_with_check,
       count(distinct code) over ()::integer as areas_warned
from warnings
order by code <> $region, code, check_order, "check"
