-- purpose: open referrals of one area as of a date by age bucket (catalogue's buckets, in order) and reason category.
-- grain: one row per bucket x reason_category
-- key: bucket, reason_category
-- values: reason_category in labels.reason
-- params: region, as_of
select b.bucket_order, b.bucket, r.reason_category, count(*)::integer as count
from referrals_as_of($as_of) r
join ref_referral_age b on r.age_days between b.min_days and b.max_days
where r.is_open and starts_with(r.village_code, $region)
group by all
order by b.bucket_order, count desc, r.reason_category
