-- purpose: open referrals of one area as of a date by destination agency, overdue against the per-category SLA or within it, with the oldest one's age; the Rujukan page and the TP Posyandu briefing (chart and agenda by agency) draw it.
-- grain: one row per destination_agency x overdue
-- key: destination_agency, overdue
-- values: destination_agency in labels.agency
-- params: region, as_of
select destination_agency, overdue, count(*)::integer as count, max(age_days)::integer as oldest_days
from referrals_as_of($as_of)
where is_open and starts_with(village_code, $region)
group by all
order by count desc, destination_agency, overdue desc
