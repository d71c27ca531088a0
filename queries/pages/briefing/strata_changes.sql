-- purpose: posyandu of each area one level below the chosen one (or the area itself at desa level) whose computed strata went up, down or stayed the same from the year before to this year, with Purnama + Mandiri in both years, for the TP Posyandu briefing.
-- grain: one row per area code
-- params: region, child_level, year, previous_year
with ranked as (
    select posyandu_id, year, village_code, computed_strata in ('purnama', 'mandiri') as good,
           list_position(['pratama', 'madya', 'purnama', 'mandiri'], computed_strata) as strata_rank
    from strata_posyandu_year
    where year in ($year, $previous_year) and starts_with(village_code, $region)
),
now as (select * from ranked where year = $year),
before as (select * from ranked where year = $previous_year),
pairs as (
    select coalesce(n.village_code, b.village_code) as village_code, n.strata_rank as rank_now,
           b.strata_rank as rank_before, n.good as good_now, b.good as good_before
    from now n full outer join before b on b.posyandu_id = n.posyandu_id
)
select r.code, r.name,
       count(p.rank_now)::integer as posyandu, count(p.rank_before)::integer as posyandu_before,
       count_if(p.good_now)::integer as purnama_mandiri, count_if(p.good_before)::integer as purnama_mandiri_before,
       count_if(p.rank_now > p.rank_before)::integer as moved_up,
       count_if(p.rank_now < p.rank_before)::integer as moved_down,
       count_if(p.rank_now = p.rank_before)::integer as unchanged
from pairs p
join regions r on r.code = case $child_level when 'kabkota' then p.village_code[1:5]
                                             when 'kecamatan' then p.village_code[1:8]
                                             when 'desa' then p.village_code else $region end
group by r.code, r.name
order by moved_down desc, r.code
