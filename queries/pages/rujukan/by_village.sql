-- purpose: open and overdue referrals of one area as of a date per village, with the age of the oldest open one.
-- grain: one row per village_code
-- key: village_code
-- params: region, as_of
select r.village_code, v.name as desa, k.name as kecamatan, count(*)::integer as open,
       count_if(r.overdue)::integer as overdue, max(r.age_days) as oldest_days
from referrals_as_of($as_of) r
left join regions v on v.code = r.village_code
left join area_villages kv on kv.village_code = r.village_code and kv.level = 'kecamatan'
left join regions k on k.code = kv.area_code
where r.is_open and starts_with(r.village_code, $region)
group by all
order by overdue desc, open desc, r.village_code
