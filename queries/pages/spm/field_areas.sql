-- purpose: per area one level down and SPM field, the posyandu of the register, those serving the field and those active in it over a period (at least ref_spm.active_min_activities activities): where the posyandu not active in a field are.
-- grain: one row per area code x field
-- key: code, field
-- values: field in spm.fields
-- params: region, child_level, start, end
select a.code, a.name, f.field, count(*) as posyandu, count(*) filter (where f.serves) as serving,
       count(x.posyandu_id) as active, count(*) - count(x.posyandu_id) as not_active,
       round(100.0 * count(x.posyandu_id) / count(*), 1) as active_pct
from posyandu_fields f
join areas_within($region, $child_level) a on a.village_code = f.village_code
left join active_posyandu_fields($start, $end) x on x.posyandu_id = f.posyandu_id and x.field = f.field
group by all
order by a.code, any_value(f.field_rank)
