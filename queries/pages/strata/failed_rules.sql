-- purpose: how many posyandu of one area fail each strata rule in a year (every rule of the catalogue, in its order), out of all posyandu.
-- grain: one row per rule
-- key: rule
-- values: rule in strata.rules
-- params: region, year
with posyandu as (
    select s.failed_rules
    from strata_posyandu_year s
    join area_villages av on av.village_code = s.village_code and av.area_code = $region
    where s.year = $year
),
failed as (
    select unnest(failed_rules) as rule from posyandu
)
select r.rule, count(f.rule)::integer as failing, (select count(*) from posyandu)::integer as posyandu
from ref_strata_rules r
left join failed f using (rule)
group by r.rule, r.rule_order
order by r.rule_order
