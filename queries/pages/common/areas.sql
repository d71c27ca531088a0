-- purpose: every area of one level inside the chosen region (the ranking one level down, or every village for the map), each with stunting, wasting and underweight (numerator, denominator), D/S and N/D' over the period, posyandu strata, open/overdue referrals and the posyandu holding a Kemendagri registration number.
-- grain: one row per region code of that level
-- key: code
-- params: region, level, period_type, period_start, start, end, year, as_of
with area_villages_of as (
    select * from areas_within($region, $level) where code <> $region
),
areas as (
    select distinct code, name from area_villages_of
),
prev as (
    select region_code as code,
           max(numerator) filter (where indicator = 'stunting') as stunted,
           max(denominator) filter (where indicator = 'stunting') as stunting_n,
           max(prevalence) filter (where indicator = 'stunting') as stunting_pct,
           max(numerator) filter (where indicator = 'wasting') as wasted,
           max(denominator) filter (where indicator = 'wasting') as wasting_n,
           max(prevalence) filter (where indicator = 'wasting') as wasting_pct,
           max(numerator) filter (where indicator = 'underweight') as underweight,
           max(denominator) filter (where indicator = 'underweight') as underweight_n,
           max(prevalence) filter (where indicator = 'underweight') as underweight_pct
    from prevalence
    where period_type = $period_type and period_start = $period_start and region_code in (select code from areas)
    group by region_code
),
skdn as (
    select region_code as code, sum(d_reported)::integer as d, sum(s_reported)::integer as s,
           100.0 * sum(d_reported) / nullif(sum(s_reported), 0) as ds_pct,
           100.0 * sum(n_derived) / nullif(sum(d_both_derived), 0) as nd_pct
    from skdn_area_month
    where month >= $start and month < $end and region_code in (select code from areas)
    group by region_code
),
strata as (
    select a.code, count(*) as posyandu, count_if(s.purnama_mandiri) as purnama_mandiri,
           count_if(s.computed_strata = 'pratama') as pratama, count_if(s.posyandu_aktif) as aktif
    from strata_posyandu_year s
    join area_villages_of a on a.village_code = s.village_code
    where s.year = $year
    group by a.code
),
backlog as (
    select a.code, count_if(r.is_open) as open_referrals, count_if(r.overdue) as overdue_referrals
    from referrals_as_of($as_of) r
    join area_villages_of a on a.village_code = r.village_code
    group by a.code
),
register as (   -- the posyandu register: how many hold a Kemendagri registration number (Posyandu 6 SPM map)
    select a.code, count(*) as register_posyandu, count(*) filter (where f.registered) as registered_posyandu
    from (select distinct posyandu_id, village_code, registered from posyandu_fields) f
    join area_villages_of a on a.village_code = f.village_code
    group by a.code
)
select a.code, a.name, p.stunted, p.stunting_n, p.stunting_pct, p.wasted, p.wasting_n, p.wasting_pct,
       p.underweight, p.underweight_n, p.underweight_pct, k.d, k.s, k.ds_pct, k.nd_pct,
       s.posyandu, s.pratama, s.purnama_mandiri, s.aktif,
       100.0 * s.purnama_mandiri / nullif(s.posyandu, 0) as purnama_mandiri_pct,
       100.0 * s.aktif / nullif(s.posyandu, 0) as aktif_pct,
       coalesce(b.open_referrals, 0) as open_referrals, coalesce(b.overdue_referrals, 0) as overdue_referrals,
       g.register_posyandu, g.registered_posyandu,
       100.0 * g.registered_posyandu / nullif(g.register_posyandu, 0) as registered_pct
from areas a
left join prev p using (code)
left join skdn k using (code)
left join strata s using (code)
left join backlog b using (code)
left join register g using (code)
order by p.stunting_pct desc nulls last, a.code
