-- purpose: data-quality counts per village and year from the measurements: flagged z-scores, recording errors (under 9 months measured standing) and length/height method mismatches.
-- grain: one row per village_code x year
-- key: village_code, year
-- slice: village_code, year
-- params: none
select village_code, date_trunc('year', measured_on)::date as year,
       count(*)::integer as measurements,
       count_if(coalesce(flag_haz, false) or coalesce(flag_waz, false) or coalesce(flag_whz, false)
                or coalesce(flag_baz, false))::integer as flagged,
       count(haz)::integer as with_haz,
       count_if(coalesce(measure_error, false))::integer as measure_errors,
       count_if(measure is not null and age_days is not null and lenhei_cm is not null
                and ((age_days < 731 and measure = 'H') or (age_days >= 731 and measure = 'L')))::integer
           as method_mismatch
from measurements
group by all
