-- purpose: per child and period (month, quarter, year, and 'rolling': the twelve months ending in each month with data, keyed by its first month) the latest valid z-score of each family, for prevalence; the child's area is that of its latest measurement in the period.
-- grain: one row per child_id x period_type x period_start
-- key: child_id, period_type, period_start
-- slice: child_id, period_type, period_start; period_type, period_start (the rolling periods that appear when the latest month moves)
-- reads: latest_month
-- params: parts, part
with measured as (   -- only the columns used: the rolling period copies each row twelve times
    select m.child_id, m.measured_on, m.village_code, m.sex, m.age_days, m.haz, m.waz, m.whz, m.oedema,
           m.haz is not null and not coalesce(m.flag_haz, false) as haz_ok,
           m.waz is not null and not coalesce(m.flag_waz, false) as waz_ok,
           m.whz is not null and not coalesce(m.flag_whz, false) as whz_ok
    from measurements m, ref_growth g
    where m.age_days between 0 and g.max_age_days
      and hash(m.child_id) % $parts = $part   -- one pass of a whole build over a hash partition of the children (build.PARTITION_ROWS); 1 and 0: every child
),
by_period as (
    select 'month' as period_type, date_trunc('month', measured_on)::date as period_start, * from measured
    union all
    select 'quarter', date_trunc('quarter', measured_on)::date, * from measured
    union all
    select 'year', date_trunc('year', measured_on)::date, * from measured
    union all
    select 'rolling', (date_trunc('month', measured_on) - to_months(back))::date, m.*
    from measured m, range(12) r(back)
    where date_trunc('month', measured_on) + to_months(11 - back)
          <= (select max(date_trunc('month', measured_on)) from measurements)
)
select child_id, period_type, period_start,
       arg_max(village_code, measured_on) as village_code,
       arg_max(sex, measured_on) as sex,
       arg_max(age_days, measured_on) as age_days,
       arg_max(haz, measured_on) filter (where haz_ok) as haz,
       arg_max(waz, measured_on) filter (where waz_ok or coalesce(oedema, false)) as waz,
       arg_max(coalesce(oedema, false), measured_on) filter (where waz_ok or coalesce(oedema, false)) as waz_oedema,
       arg_max(whz, measured_on) filter (where whz_ok or coalesce(oedema, false)) as whz,
       arg_max(coalesce(oedema, false), measured_on) filter (where whz_ok or coalesce(oedema, false)) as whz_oedema
from by_period
group by all
