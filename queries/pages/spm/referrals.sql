-- purpose: referrals of one area by SPM field (ref_reason_field) and destination agency: made in a period, and as of its end still open (the backlog) and overdue against the SLA; cadre-detected social cases appear under their field with the agency that owns them.
-- grain: one row per field x destination_agency
-- key: field, destination_agency
-- values: field in spm.fields, destination_agency in labels.agency
-- params: region, start, as_of
select rf.field, r.destination_agency, count(*) filter (where r.referred_on >= $start) as referred,
       count(*) filter (where r.is_open) as open, count(*) filter (where r.overdue) as overdue
from referrals_as_of($as_of) r
join ref_reason_field rf using (reason_category)
join ref_spm_fields f using (field)
join area_villages av on av.village_code = r.village_code and av.area_code = $region
group by all
having count(*) filter (where r.referred_on >= $start) > 0 or count(*) filter (where r.is_open) > 0
order by any_value(f.field_rank), open desc, r.destination_agency
