-- purpose: every referral made on or before a date with its status as of that date (the latest event then; the later life-cycle step wins a same-day tie), its age in days, its SLA and whether it is open and overdue. The one definition of backlog: open = not selesai or batal.
-- grain: one row per referral_id
-- params: none
-- macro argument: as_of (date)
create or replace macro referrals_as_of(as_of) as table
with status as (
    select e.referral_id,
           arg_max(e.status, date_diff('day', date '1970-01-01', e.event_on) * 10 + s.status_rank) as status,
           max(e.event_on) as status_on
    from referral_events e
    join ref_referral_status s using (status)
    where e.event_on <= as_of
    group by e.referral_id
)
select r.referral_id, r.referred_on, r.village_code, r.posyandu_id, r.subject_type, r.reason_category,
       r.destination_agency, coalesce(s.status, 'dirujuk') as status, coalesce(s.status_on, r.referred_on) as status_on,
       not coalesce(k.closed, false) as is_open,
       date_diff('day', r.referred_on, as_of::date) as age_days,
       coalesce(l.sla_days, d.default_sla_days) as sla_days,
       not coalesce(k.closed, false)
           and date_diff('day', r.referred_on, as_of::date) > coalesce(l.sla_days, d.default_sla_days) as overdue
from referrals r
cross join ref_limits d
left join status s using (referral_id)
left join ref_referral_status k on k.status = coalesce(s.status, 'dirujuk')
left join ref_referral_sla l using (reason_category)
where r.referred_on <= as_of
