-- purpose: posyandu of one area in a year by the strata they reported (null: none reported) against the strata computed by the rule, as one list of counts per reported strata in the order of the catalogue's levels.
-- grain: one row per reported_strata
-- key: reported_strata
-- params: region, year
with posyandu as (
    select s.reported_strata, s.computed_strata
    from strata_posyandu_year s
    join area_villages av on av.village_code = s.village_code and av.area_code = $region
    where s.year = $year
),
cells as (
    select r.reported_strata, l.level, l.strata_rank, count(p.computed_strata) as posyandu
    from (select distinct reported_strata from posyandu) r
    cross join ref_strata_levels l
    left join posyandu p on p.reported_strata is not distinct from r.reported_strata and p.computed_strata = l.level
    group by all
)
select c.reported_strata, list(c.posyandu::integer order by c.strata_rank) as computed_counts
from cells c
left join ref_strata_levels r on r.level = c.reported_strata
group by c.reported_strata, r.strata_rank
order by r.strata_rank nulls last, c.reported_strata
