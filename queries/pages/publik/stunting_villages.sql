-- purpose: stunting numerator and denominator of every village of an area (a province or a kab/kota) for one year, with the area's own row, for the public village map (suppressed in Python before it is drawn).
-- grain: one row per region_code (the area and its villages)
-- key: region_code
-- params: region, year
select r.code as region_code, r.name, r.level,
       coalesce(p.numerator, 0) as stunted, coalesce(p.denominator, 0) as measured
from regions r
left join prevalence p on p.region_code = r.code and p.indicator = 'stunting' and p.period_type = 'year'
                      and p.period_start = $year
where r.code = $region or (r.level = 'desa' and starts_with(r.code, $region || '.'))
order by r.level = 'desa', r.code
