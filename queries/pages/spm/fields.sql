-- purpose: the six SPM fields in one area over a period: posyandu serving each field, posyandu active in it (at least ref_spm.active_min_activities activities in the period), cadres and trained cadres, activities and people reached, and the referrals of the field's reason categories (ref_reason_field): made in the period, open and overdue as of its end.
-- grain: one row per field
-- key: field
-- values: field in spm.fields
-- params: region, start, end, as_of
with register as (
    select f.field, count(*) as posyandu, count(*) filter (where f.serves) as serving, sum(f.cadres)::integer as cadres,
           sum(f.trained)::integer as trained
    from posyandu_fields f
    join area_villages av on av.village_code = f.village_code and av.area_code = $region
    group by all
),
per_posyandu as (
    select m.field, m.posyandu_id, sum(m.activities) as activities, sum(m.people_reached) as people_reached
    from posyandu_field_month m
    join area_villages av on av.village_code = m.village_code and av.area_code = $region
    where m.month >= $start and m.month < $end
    group by all
),
activity as (
    select p.field, count(*) filter (where p.activities >= s.active_min_activities) as active,
           sum(p.activities)::integer as activities,
           sum(p.people_reached)::integer as people_reached
    from per_posyandu p
    cross join ref_spm s
    group by all
),
referrals as (
    select rf.field, count(*) filter (where r.referred_on >= $start) as referred,
           count(*) filter (where r.is_open) as open,
           count(*) filter (where r.overdue) as overdue
    from referrals_as_of($as_of) r
    join ref_reason_field rf using (reason_category)
    join area_villages av on av.village_code = r.village_code and av.area_code = $region
    group by all
)
select f.field, coalesce(g.posyandu, 0) as posyandu, coalesce(g.serving, 0) as serving,
       coalesce(a.active, 0) as active, coalesce(g.posyandu, 0) - coalesce(a.active, 0) as not_active,
       g.cadres, g.trained, a.activities, a.people_reached,
       coalesce(r.referred, 0) as referred, coalesce(r.open, 0) as open, coalesce(r.overdue, 0) as overdue
from ref_spm_fields f
left join register g using (field)
left join activity a using (field)
left join referrals r using (field)
order by f.field_rank
