-- purpose: posyandu by computed strata (Kemenkes 2011 rule) in a province and each of its kab/kota for one year, for the public page (suppressed in Python before it is shown).
-- grain: one row per region_code (the province and its kab/kota)
-- key: region_code
-- params: province, year
with counted as (
    select av.area_code as kabkota, count_if(computed_strata = 'pratama') as pratama,
           count_if(computed_strata = 'madya') as madya, count_if(computed_strata = 'purnama') as purnama,
           count_if(computed_strata = 'mandiri') as mandiri, count(*) as posyandu
    from strata_posyandu_year s
    join area_villages av on av.village_code = s.village_code and av.level = 'kabkota'
    where year = $year and starts_with(s.village_code, $province || '.')
    group by all
)
select r.code as region_code, r.name, r.level,
       coalesce(sum(c.pratama), 0)::integer as pratama, coalesce(sum(c.madya), 0)::integer as madya,
       coalesce(sum(c.purnama), 0)::integer as purnama, coalesce(sum(c.mandiri), 0)::integer as mandiri,
       coalesce(sum(c.posyandu), 0)::integer as posyandu
from regions r
left join counted c on c.kabkota = r.code or (r.code = $province)
where r.code = $province or (r.parent_code = $province and r.level = 'kabkota')
group by r.code, r.name, r.level
order by r.level = 'kabkota', r.code
