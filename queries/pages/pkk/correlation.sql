-- purpose: Spearman's r between each Dasa Wisma household share (households_* column of the mart) and stunting prevalence over the villages of one area in a year, counting only villages with enough children measured (ref_limits) and both values; r only from 5 villages up.
-- grain: one row per column
-- key: column_name
-- params: region, year
with villages as (
    select v.households, columns('households_.*'), p.prevalence as stunting_pct, p.denominator as children
    from pkk_village_year v
    left join prevalence p on p.region_code = v.village_code and p.indicator = 'stunting'
         and p.period_type = 'year' and p.period_start = $year
    where starts_with(v.village_code, $region) and v.year = $year
),
paired as (
    select column_name, 100.0 * covered / households as share, stunting_pct
    from (unpivot villages on columns('households_.*') into name column_name value covered), ref_limits l
    where children >= l.min_denominator and households > 0 and covered is not null and stunting_pct is not null
),
ranked as (    -- average ranks for ties, as Spearman's r takes them
    select column_name,
           rank() over (partition by column_name order by share)
               + (count(*) over (partition by column_name, share) - 1) / 2.0 as share_rank,
           rank() over (partition by column_name order by stunting_pct)
               + (count(*) over (partition by column_name, stunting_pct) - 1) / 2.0 as stunting_rank
    from paired
)
select column_name, count(*)::integer as villages,
       case when count(*) >= 5 then corr(share_rank, stunting_rank) end as spearman_r
from ranked
group by column_name
order by column_name
