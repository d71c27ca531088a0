-- purpose: how complete each area's period is (issue 16 §2): months with data out of the period's months, months complete, and the share of the area's usually-reporting posyandu that reported. A posyandu reported in a month when it has a monthly report or a weighing; it usually reports when it reported in at least half of the up to ref_limits.usual_window_months months before (every posyandu that reported, in the first month of data); an area's month is complete when it has data and min_reporting_pct of its usually-reporting posyandu reported (or it has none yet); a period is complete when all its months are. Periods: month, quarter, year and rolling (twelve months, keyed by the first).
-- grain: one row per region_code x period_type x period_start
-- key: region_code, period_type, period_start
-- slice: whole (each month depends on the twelve before, the calendar on the first and last month with data)
-- params: none
with reports as (
    select distinct posyandu_id, village_code, month
    from skdn_posyandu_month
    where posyandu_id is not null and village_code is not null
),
village_data as (
    select village_code, month from reports
    union
    select village_code, month from child_months where posyandu_id is null and village_code is not null
),
calendar as (
    select unnest(generate_series(min(month), max(month), interval 1 month))::date as month,
    from village_data
),
posyandu_grid as (
    select p.posyandu_id, p.village_code, c.month,
           least(l.usual_window_months, datediff('month', (select min(month) from calendar), c.month)) as months_before
    from (select posyandu_id, arg_max(village_code, month) as village_code from reports group by posyandu_id) p
    cross join calendar c
    cross join ref_limits l
),
posyandu_month as (
    select g.posyandu_id, g.village_code, g.month,
           bool_or(r.month = g.month) as reported,
           case when g.months_before = 0 then bool_or(r.month = g.month)
                else 2 * count(r.month) filter (where r.month < g.month) >= g.months_before end as usual
    from posyandu_grid g
    left join reports r on r.posyandu_id = g.posyandu_id and r.month <= g.month
         and r.month >= g.month - to_months(g.months_before)
    group by g.posyandu_id, g.village_code, g.month, g.months_before
),
village_month as (
    select village_code, month, count_if(usual) as usual, count_if(usual and reported) as usual_reported
    from posyandu_month
    group by all
),
area_month as (
    select av.area_code as region_code, av.level, c.month,
           coalesce(sum(v.usual), 0)::integer as usual, coalesce(sum(v.usual_reported), 0)::integer as usual_reported,
           count(d.village_code) > 0 as has_data
    from area_villages av
    cross join calendar c
    left join village_month v on v.village_code = av.village_code and v.month = c.month
    left join village_data d on d.village_code = av.village_code and d.month = c.month
    where av.village_code in (select village_code from village_data)
    group by all
),
judged as (
    select a.*, a.has_data and (a.usual = 0 or 100.0 * a.usual_reported / a.usual >= l.min_reporting_pct) as complete
    from area_month a, ref_limits l
),
periods as (
    select distinct 'month' as period_type, month as period_start, 1 as months from calendar
    union all
    select distinct 'quarter', date_trunc('quarter', month)::date, 3 from calendar
    union all
    select distinct 'year', date_trunc('year', month)::date, 12 from calendar
    union all
    select 'rolling', (month - to_months(11))::date, 12 from calendar
)
select j.region_code, j.level, p.period_type, p.period_start, p.months,
       count_if(j.has_data)::integer as months_with_data,
       count_if(j.complete)::integer as complete_months,
       min(j.month) filter (where j.has_data) as first_data_month,
       max(j.month) filter (where j.has_data) as last_data_month,
       sum(j.usual)::integer as usual_posyandu_months,
       sum(j.usual_reported)::integer as usual_reported_months,
       100.0 * sum(j.usual_reported) / nullif(sum(j.usual), 0) as reporting_pct,
       count_if(j.complete) = p.months as complete
from periods p
join judged j on j.month >= p.period_start and j.month < p.period_start + to_months(p.months)
group by j.region_code, j.level, p.period_type, p.period_start, p.months
