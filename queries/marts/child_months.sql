-- purpose: growth-monitoring facts per child and month from child-level weighings (the last weighing of the month): D, N/T against the KBM, O, B, 2T and BGM.
-- grain: one row per child_id x month
-- key: child_id, month
-- slice: child_id
-- params: none
with weighings as (
    select child_id, date_trunc('month', measured_on)::date as month, measured_on, weight_kg, sex, age_days,
           waz, flag_waz, village_code, posyandu_id
    from measurements
    where weight_kg is not null
    qualify row_number() over (partition by child_id, date_trunc('month', measured_on) order by measured_on desc) = 1
),
sequenced as (
    select w.*,
           lag(month) over by_child as previous_month,
           lag(weight_kg) over by_child as previous_weight_kg,
           row_number() over by_child = 1 as first_visit
    from weighings w
    window by_child as (partition by child_id order by month)
),
judged as (
    select s.*,
           floor(s.age_days / g.days_per_month)::integer as age_months,
           coalesce(s.previous_month = (s.month - interval 1 month)::date, false) as weighed_last_month,
           round((s.weight_kg - s.previous_weight_kg) * 1000) as gain_g,
           k.min_gain_g,
           s.waz < g.bgm_waz_below and not coalesce(s.flag_waz, false) as bgm
    from sequenced s
    cross join ref_growth g
    left join ref_kbm k on k.age_months = floor(s.age_days / g.days_per_month)::integer
)
select child_id, month, village_code, posyandu_id, sex, age_days, age_months, weight_kg, previous_weight_kg, gain_g,
       min_gain_g, first_visit, weighed_last_month,
       weighed_last_month and min_gain_g is not null and gain_g >= min_gain_g as naik,
       weighed_last_month and min_gain_g is not null and gain_g < min_gain_g as tidak_naik,
       not first_visit and not weighed_last_month as not_weighed_last_month,
       coalesce(bgm, false) as bgm,
       weighed_last_month and min_gain_g is not null and gain_g < min_gain_g
           and coalesce(lag(weighed_last_month and min_gain_g is not null and gain_g < min_gain_g)
                        over (partition by child_id order by month), false)
           as two_t
from judged
