-- purpose: per area one level down and SPM field, the posyandu of the register, those serving the field and those active in it over a period (at least ref_spm.active_min_activities activities): where the posyandu not active in a field are.
-- grain: one row per area code x field
-- key: code, field
-- values: field in spm.fields
-- params: region, child_level, start, end
with active as (
    select m.posyandu_id, m.field
    from posyandu_field_month m
    cross join ref_spm s
    where m.month >= $start and m.month < $end
    group by m.posyandu_id, m.field, s.active_min_activities
    having sum(m.activities) >= s.active_min_activities
)
select a.code, a.name, f.field, count(*) as posyandu, count(*) filter (where f.serves) as serving,
       count(x.posyandu_id) as active, count(*) - count(x.posyandu_id) as not_active,
       round(100.0 * count(x.posyandu_id) / count(*), 1) as active_pct
from posyandu_fields f
join areas_within($region, $child_level) a on a.village_code = f.village_code
left join active x on x.posyandu_id = f.posyandu_id and x.field = f.field
group by all
order by a.code, any_value(f.field_rank)
