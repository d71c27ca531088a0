-- purpose: SKDN per area and month at every level (desa to provinsi): reported S, K, D, N from the monthly reports and D, D' (weighed both months), N, BGM, 2T derived from the weighings, so pages read D/S and N/D' without touching child rows.
-- grain: one row per region_code x month
-- key: region_code, month
-- slice: region_code, month
-- params: none
with village_month as (
    select village_code, month,
           count(distinct posyandu_id) as posyandu,
           count(s_reported) as posyandu_reporting,
           sum(s_reported) as s_reported, sum(k_reported) as k_reported, sum(d_reported) as d_reported,
           sum(n_reported) as n_reported, sum(bgm_reported) as bgm_reported, sum(t2_reported) as t2_reported,
           sum(d_derived) as d_derived, sum(d_both_months_derived) as d_both_derived, sum(n_derived) as n_derived,
           sum(bgm_derived) as bgm_derived, sum(t2_derived) as t2_derived
    from skdn_posyandu_month
    where village_code is not null
    group by all
)
select av.area_code as region_code, av.level, month,
       sum(posyandu)::integer as posyandu, sum(posyandu_reporting)::integer as posyandu_reporting,
       sum(s_reported)::integer as s_reported, sum(k_reported)::integer as k_reported,
       sum(d_reported)::integer as d_reported, sum(n_reported)::integer as n_reported,
       sum(bgm_reported)::integer as bgm_reported, sum(t2_reported)::integer as t2_reported,
       sum(d_derived)::integer as d_derived, sum(d_both_derived)::integer as d_both_derived,
       sum(n_derived)::integer as n_derived, sum(bgm_derived)::integer as bgm_derived,
       sum(t2_derived)::integer as t2_derived
from village_month v
join area_villages av on av.village_code = v.village_code
group by av.area_code, av.level, month
