-- purpose: every posyandu of a region with its computed strata this year and the year before (rank from ref_strata_levels), whether it is Purnama or Mandiri in each, and Posyandu Aktif this year: what strata summaries and year-on-year moves count.
-- grain: one row per posyandu_id (reporting in either year)
-- params: none
-- macro arguments: in_region (a region code), in_year, previous_year (dates, 1 January)
create or replace macro strata_moves(in_region, in_year, previous_year) as table
with ranked as (
    select s.posyandu_id, s.year, s.village_code, s.computed_strata, s.reported_strata, s.purnama_mandiri,
           s.posyandu_aktif, s.months_reported, l.strata_rank
    from strata_posyandu_year s
    join ref_strata_levels l on l.level = s.computed_strata
    join area_villages av on av.village_code = s.village_code and av.area_code = in_region
    where s.year in (in_year, previous_year)
),
now as (select * from ranked where year = in_year),
before as (select * from ranked where year = previous_year)
select coalesce(n.posyandu_id, b.posyandu_id) as posyandu_id, coalesce(n.village_code, b.village_code) as village_code,
       n.computed_strata, n.reported_strata, n.strata_rank as rank_now, b.strata_rank as rank_before,
       n.purnama_mandiri as good_now, b.purnama_mandiri as good_before, n.posyandu_aktif, n.months_reported
from now n
full outer join before b on b.posyandu_id = n.posyandu_id
