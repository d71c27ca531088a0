-- purpose: stunting numerator and denominator of a province and each of its kab/kota for one year, the public page's table (suppressed in Python before it is shown).
-- grain: one row per region_code (the province and its kab/kota)
-- key: region_code
-- params: province, year
select r.code as region_code, r.name, r.level,
       coalesce(p.numerator, 0) as stunted, coalesce(p.denominator, 0) as measured
from regions r
left join prevalence p on p.region_code = r.code and p.indicator = 'stunting' and p.period_type = 'year'
                      and p.period_start = $year
where r.code = $province or (r.parent_code = $province and r.level = 'kabkota')
order by r.level = 'kabkota', r.code
