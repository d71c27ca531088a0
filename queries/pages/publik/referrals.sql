-- purpose: referrals made in a year in a province and each of its kab/kota, by where they stood at the year's end (or the last day with data): completed (selesai), cancelled (batal) or still open, for the public page (suppressed in Python before it is shown).
-- grain: one row per region_code (the province and its kab/kota)
-- key: region_code
-- params: province, year_start, year_end, as_of
with made as (
    select av.area_code as kabkota, count_if(status = 'selesai') as selesai, count_if(status = 'batal') as batal,
           count_if(is_open) as terbuka, count(*) as dirujuk
    from referrals_as_of($as_of) r
    join area_villages av on av.village_code = r.village_code and av.level = 'kabkota'
    where referred_on >= $year_start and referred_on < $year_end and starts_with(r.village_code, $province || '.')
    group by all
)
select r.code as region_code, r.name, r.level,
       coalesce(sum(m.selesai), 0)::integer as selesai, coalesce(sum(m.batal), 0)::integer as batal,
       coalesce(sum(m.terbuka), 0)::integer as terbuka, coalesce(sum(m.dirujuk), 0)::integer as dirujuk
from regions r
left join made m on m.kabkota = r.code or (r.code = $province)
where r.code = $province or (r.parent_code = $province and r.level = 'kabkota')
group by r.code, r.name, r.level
order by r.level = 'kabkota', r.code
