-- purpose: each programme village of one area (P2WKSS desa binaan, Posyandra, lokus stunting) against the other villages of its kab/kota not in that programme: stunting prevalence (children measured beside it) in the year before the programme started and in the chosen year, and the share of its posyandu that are Posyandu Aktif in the chosen year.
-- grain: one row per village_code x programme
-- key: village_code, programme
-- values: programme in labels.programme
-- params: region, year
with programme as (
    select p.village_code, p.programme, p.programme_year,
           coalesce(p.started_on, make_date(p.programme_year, 1, 1)) as started_on,
           make_date(year(coalesce(p.started_on, make_date(p.programme_year, 1, 1))) - 1, 1, 1) as before_year,
           kab.area_code as kabkota_code
    from programme_villages p
    join area_villages home on home.village_code = p.village_code and home.area_code = $region
    join area_villages kab on kab.village_code = p.village_code and kab.level = 'kabkota'
),
stunting as (
    select region_code as village_code, period_start as year, numerator, denominator
    from prevalence
    where indicator = 'stunting' and period_type = 'year' and level = 'desa'
),
aktif as (
    select village_code, count(*) as posyandu, count(*) filter (where posyandu_aktif) as aktif
    from strata_posyandu_year
    where year = $year
    group by all
),
peers as (      -- the programme village itself, and the other villages of its kab/kota not in that programme
    select g.village_code, g.programme, g.before_year, kv.village_code as peer, kv.village_code = g.village_code as itself
    from programme g
    join area_villages kv on kv.area_code = g.kabkota_code
    where kv.village_code = g.village_code or not exists (
        select 1 from programme_villages same where same.village_code = kv.village_code and same.programme = g.programme)
),
compared as (
    select p.village_code, p.programme, p.itself,
           sum(s.numerator) filter (where s.year = p.before_year) as before_cases,
           sum(s.denominator) filter (where s.year = p.before_year) as before_children,
           sum(s.numerator) filter (where s.year = $year) as now_cases,
           sum(s.denominator) filter (where s.year = $year) as now_children
    from peers p
    left join stunting s on s.village_code = p.peer and s.year in (p.before_year, $year)
    group by p.village_code, p.programme, p.itself
),
compared_aktif as (
    select p.village_code, p.programme, p.itself, sum(a.aktif) as aktif, sum(a.posyandu) as posyandu
    from peers p
    join aktif a on a.village_code = p.peer
    group by p.village_code, p.programme, p.itself
)
select g.village_code, v.name as desa, k.name as kabkota, g.programme, g.programme_year, g.started_on,
       year(g.before_year) as before_year,
       round(100.0 * c.before_cases / nullif(c.before_children, 0), 1) as before_pct, c.before_children,
       round(100.0 * c.now_cases / nullif(c.now_children, 0), 1) as now_pct, c.now_children,
       round(100.0 * o.before_cases / nullif(o.before_children, 0), 1) as others_before_pct,
       round(100.0 * o.now_cases / nullif(o.now_children, 0), 1) as others_now_pct, o.now_children as others_now_children,
       round(100.0 * ca.aktif / nullif(ca.posyandu, 0), 1) as aktif_pct,
       round(100.0 * oa.aktif / nullif(oa.posyandu, 0), 1) as others_aktif_pct
from programme g
join regions v on v.code = g.village_code
join regions k on k.code = g.kabkota_code
left join compared c on c.village_code = g.village_code and c.programme = g.programme and c.itself
left join compared o on o.village_code = g.village_code and o.programme = g.programme and not o.itself
left join compared_aktif ca on ca.village_code = g.village_code and ca.programme = g.programme and ca.itself
left join compared_aktif oa on oa.village_code = g.village_code and oa.programme = g.programme and not oa.itself
order by g.programme, g.village_code
