-- purpose: SKDN counts per posyandu and month derived from child-level weighings, beside the counts the posyandu reported.
-- grain: one row per posyandu_id x month
-- key: posyandu_id, month
-- slice: posyandu_id
-- params: none
with derived as (
    select posyandu_id, month,
           count(*) as d_derived,
           count_if(naik) as n_derived,
           count_if(tidak_naik) as t_derived,
           count_if(not_weighed_last_month) as o_derived,
           count_if(first_visit) as b_derived,
           count_if(weighed_last_month) as d_both_months_derived,
           count_if(bgm) as bgm_derived,
           count_if(two_t) as t2_derived
    from child_months
    where posyandu_id is not null
    group by all
)
select coalesce(d.posyandu_id, r.posyandu_id) as posyandu_id,
       coalesce(d.month, r.month) as month,
       coalesce(r.village_code, p.village_code) as village_code,
       d.d_derived, d.n_derived, d.t_derived, d.o_derived, d.b_derived, d.d_both_months_derived,
       d.bgm_derived, d.t2_derived,
       r.s_count as s_reported, r.k_count as k_reported, r.d_count as d_reported, r.n_count as n_reported,
       r.t_count as t_reported, r.o_count as o_reported, r.b_count as b_reported, r.bgm_count as bgm_reported,
       r.t2_count as t2_reported
from derived d
full outer join posyandu_monthly r on r.posyandu_id = d.posyandu_id and r.month = d.month
left join posyandu p on p.posyandu_id = coalesce(d.posyandu_id, r.posyandu_id)
