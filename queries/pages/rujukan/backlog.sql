-- purpose: the open referrals of one area as of a date, each with its age bucket, SLA and overdue flag, destination and village (internal use: ids, no personal data).
-- grain: one row per open referral_id
-- key: referral_id
-- values: status in labels.status, reason_category in labels.reason, destination_agency in labels.agency
-- params: region, as_of
select r.referral_id, r.referred_on, r.status, r.status_on, r.age_days, b.bucket, b.bucket_order, r.sla_days, r.overdue,
       r.subject_type, r.reason_category, r.destination_agency, r.village_code, v.name as desa,
       k.name as kecamatan, r.posyandu_id
from referrals_as_of($as_of) r
join ref_referral_age b on r.age_days between b.min_days and b.max_days
left join regions v on v.code = r.village_code
left join area_villages kv on kv.village_code = r.village_code and kv.level = 'kecamatan'
left join regions k on k.code = kv.area_code
where r.is_open and starts_with(r.village_code, $region)
order by r.overdue desc, r.age_days desc
