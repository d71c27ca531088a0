-- purpose: activities and people reached per posyandu, month and SPM field from the six-field report; for kesehatan a month the SKDN report says the posyandu opened counts as one activity when the six-field report does not give that month (people reached unknown then).
-- grain: one row per posyandu_id x month x field
-- key: posyandu_id, month, field
-- slice: posyandu_id, month
-- values: field in spm.fields
-- params: none
select a.posyandu_id, a.month, a.field, a.village_code, a.activities, a.people_reached, true as from_six_field_report
from posyandu_activity a
union all
select m.posyandu_id, m.month, 'kesehatan' as field, m.village_code, 1 as activities, null::integer as people_reached,
       false as from_six_field_report
from posyandu_monthly m
anti join posyandu_activity a on a.posyandu_id = m.posyandu_id and a.month = m.month and a.field = 'kesehatan'
where m.opened
