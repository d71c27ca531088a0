-- purpose: the posyandu active in an SPM field over a period: at least ref_spm.active_min_activities activities in the field between two months. The one definition of "active in a field" the SPM page queries share.
-- grain: one row per posyandu_id x field
-- params: none
-- macro arguments: from_month (first month, included), to_month (first month after the period)
create or replace macro active_posyandu_fields(from_month, to_month) as table
select m.posyandu_id, m.field
from posyandu_field_month m
cross join ref_spm s
where m.month >= from_month and m.month < to_month
group by m.posyandu_id, m.field, s.active_min_activities
having sum(m.activities) >= s.active_min_activities
