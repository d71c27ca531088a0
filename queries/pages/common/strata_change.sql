-- purpose: posyandu Purnama + Mandiri and Posyandu Aktif for each area one level below the chosen one in a year and the year before, for the Strata ranking's change columns.
-- grain: one row per area code
-- key: code
-- params: region, child_level, year, previous_year
with areas as (
    select distinct code, name, village_code from areas_within($region, $child_level)
),
counted as (
    select a.code, s.year, count(*) as posyandu, count_if(s.purnama_mandiri) as purnama_mandiri,
           count_if(s.posyandu_aktif) as aktif
    from strata_posyandu_year s
    join areas a on a.village_code = s.village_code
    where s.year in ($year, $previous_year)
    group by all
)
select a.code, a.name,
       max(c.posyandu) filter (where c.year = $year) as posyandu,
       max(c.purnama_mandiri) filter (where c.year = $year) as purnama_mandiri,
       max(c.aktif) filter (where c.year = $year) as aktif,
       max(c.posyandu) filter (where c.year = $previous_year) as previous_posyandu,
       max(c.purnama_mandiri) filter (where c.year = $previous_year) as previous_purnama_mandiri,
       max(c.aktif) filter (where c.year = $previous_year) as previous_aktif
from (select distinct code, name from areas) a
left join counted c using (code)
group by a.code, a.name
order by a.code
