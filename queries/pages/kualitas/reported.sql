-- purpose: how far the z-scores and ages an export reports (e-PPGBM's ZS TB/U, ZS BB/TB, ZS BB/U and "Usia Saat Ukur") disagree with the WHO recomputation, in the areas one level below the chosen one (child_level '': the area itself) in a year: records compared, records whose reported z-score falls on the other side of the indicator's cut-off, the largest difference, and birth dates more than a month off the reported age.
-- grain: one row per area code x indicator (indicator '' holds the age check)
-- key: code, indicator
-- params: region, child_level, year
with z as (
    select a.code, a.name, c.indicator, sum(c.compared)::integer as compared,
           sum(c.status_disagrees)::integer as status_disagrees, max(c.largest_difference) as largest_difference
    from areas_within($region, $child_level) a
    join reported_z_village_year c on c.village_code = a.village_code and c.year = $year
    group by all
), age as (
    select a.code, a.name, '' as indicator, sum(c.with_reported_age)::integer as compared,
           sum(c.age_disagrees)::integer as status_disagrees, null::double as largest_difference
    from areas_within($region, $child_level) a
    join reported_age_village_year c on c.village_code = a.village_code and c.year = $year
    group by all
)
select * from z
union all
select * from age
order by code, indicator
