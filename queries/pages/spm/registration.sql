-- purpose: per area one level down, the posyandu of the register, how many hold a Kemendagri registration number (the rest is the gap to the 30 June 2025 deadline; how many registered after it), how many have their founding decree, beside Posyandu Aktif and Purnama + Mandiri of the year (strata mart).
-- grain: one row per area code
-- key: code
-- params: region, child_level, year
with register as (
    select a.code, a.name, count(*) as posyandu, count(*) filter (where f.registered) as registered,
           count(*) filter (where not f.registered) as not_registered,
           count(*) filter (where f.registered_late) as registered_late,
           count(*) filter (where f.sk_present) as sk_present
    from (select distinct posyandu_id, village_code, registered, registered_late, sk_present from posyandu_fields) f
    join areas_within($region, $child_level) a on a.village_code = f.village_code
    group by all
),
strata as (
    select a.code, count(*) as posyandu_reporting, count(*) filter (where s.posyandu_aktif) as posyandu_aktif,
           count(*) filter (where s.purnama_mandiri) as purnama_mandiri
    from strata_posyandu_year s
    join areas_within($region, $child_level) a on a.village_code = s.village_code
    where s.year = $year
    group by all
)
select r.code, r.name, r.posyandu, r.registered, r.not_registered, r.registered_late, r.sk_present,
       round(100.0 * r.registered / r.posyandu, 1) as registered_pct,
       coalesce(s.posyandu_reporting, 0) as posyandu_reporting, coalesce(s.posyandu_aktif, 0) as posyandu_aktif,
       coalesce(s.purnama_mandiri, 0) as purnama_mandiri
from register r
left join strata s using (code)
order by r.code
