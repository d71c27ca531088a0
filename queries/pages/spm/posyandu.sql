-- purpose: every posyandu of one area: its village and kecamatan, Kemendagri registration (number, date, after the deadline), founding decree, the SPM fields it serves, those it was active in over a period and those it was not, and its cadres (trained) over all fields.
-- grain: one row per posyandu_id
-- key: posyandu_id
-- params: region, start, end
select f.posyandu_id, p.name as posyandu, v.name as desa, k.name as kecamatan, f.village_code,
       any_value(p.register_no) as register_no, bool_or(f.registered) as registered,
       any_value(f.registered_on) as registered_on, bool_or(f.registered_late) as registered_late,
       bool_or(f.sk_present) as sk_present,
       coalesce(list(f.field order by f.field_rank) filter (where f.serves), []) as served_fields,
       coalesce(list(f.field order by f.field_rank) filter (where x.field is not null), []) as active_fields,
       coalesce(list(f.field order by f.field_rank) filter (where x.field is null), []) as inactive_fields,
       sum(f.cadres)::integer as cadres, sum(f.trained)::integer as trained
from posyandu_fields f
join area_villages av on av.village_code = f.village_code and av.area_code = $region
join posyandu p on p.posyandu_id = f.posyandu_id
join regions v on v.code = f.village_code
left join regions k on k.code = v.parent_code
left join active_posyandu_fields($start, $end) x on x.posyandu_id = f.posyandu_id and x.field = f.field
group by f.posyandu_id, p.name, v.name, k.name, f.village_code
order by registered, k.name, v.name, p.name
