-- purpose: the overdue referrals of an area as of a day, by receiving agency and village, split into those still stuck since the last meeting (already overdue on that day) and those new since it (opened after it, or not yet overdue then).
-- grain: one row per destination_agency x village_code x stuck_since_last
-- key: destination_agency, village_code, stuck_since_last
-- params: region, as_of, since
select n.destination_agency, n.village_code, v.name as desa, k.name as kecamatan,
       coalesce(b.overdue, false) as stuck_since_last,
       count(*) as referrals, max(n.age_days) as oldest_days
from referrals_as_of($as_of) n
left join referrals_as_of($since) b using (referral_id)
left join regions v on v.code = n.village_code
left join area_villages kv on kv.village_code = n.village_code and kv.level = 'kecamatan'
left join regions k on k.code = kv.area_code
where n.overdue and starts_with(n.village_code, $region)
group by all
order by stuck_since_last desc, referrals desc, oldest_days desc
