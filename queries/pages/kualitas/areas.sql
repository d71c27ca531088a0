-- purpose: data quality of the areas one level below the chosen one (child_level '': the area itself) in a year: flagged z-scores, method mismatches, SD of HAZ, reporting completeness of posyandu and SKDN D reported vs derived.
-- grain: one row per area code
-- key: code
-- params: region, child_level, year
select *
from area_quality($region, $child_level, $year)
order by code
