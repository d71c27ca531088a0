-- purpose: Dasa Wisma household indicators of one area in a year as a whole: for each households_* column of the mart, the households covered, all households and the share.
-- grain: one row per column
-- key: column_name
-- params: region, year
with villages as (
    select households, columns('households_.*')
    from pkk_village_year
    where starts_with(village_code, $region) and year = $year
)
select column_name, sum(covered)::integer as covered, sum(households)::integer as households,
       100.0 * sum(covered) / nullif(sum(households), 0) as share
from (unpivot villages on columns('households_.*') into name column_name value covered)
group by column_name
order by column_name
