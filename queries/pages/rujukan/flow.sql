-- purpose: referrals of one area opened and closed (selesai or batal) per month, and median days from referral to selesai of those closed that month.
-- grain: one row per month
-- key: month
-- params: region
with closing as (
    select e.referral_id, min(e.event_on) as closed_on
    from referral_events e join ref_referral_status s using (status)
    where s.closed
    group by e.referral_id
),
opened as (
    select date_trunc('month', referred_on)::date as month, count(*) as opened
    from referrals where starts_with(village_code, $region) group by all
),
closed as (
    select date_trunc('month', c.closed_on)::date as month, count(*) as closed,
           median(date_diff('day', r.referred_on, c.closed_on)) filter (where r.status = 'selesai') as median_days_to_close
    from closing c join referrals r using (referral_id)
    where starts_with(r.village_code, $region)
    group by all
)
select month, coalesce(o.opened, 0) as opened, coalesce(c.closed, 0) as closed, c.median_days_to_close
from opened o full outer join closed c using (month)
order by month
