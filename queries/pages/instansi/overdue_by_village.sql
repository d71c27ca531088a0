-- purpose: the overdue referrals one receiving agency holds in an area as of a day, per village, with the oldest one's age; the agency page's referral table.
-- grain: one row per village_code
-- key: village_code
-- params: region, as_of, agency
select r.village_code, v.name as desa, k.name as kecamatan, count(*)::integer as referrals,
       max(r.age_days)::integer as oldest_days
from referrals_as_of($as_of) r
left join regions v on v.code = r.village_code
left join area_villages kv on kv.village_code = r.village_code and kv.level = 'kecamatan'
left join regions k on k.code = kv.area_code
where r.overdue and r.destination_agency = $agency and starts_with(r.village_code, $region)
group by all
order by referrals desc, oldest_days desc, r.village_code
