-- purpose: open and overdue referrals of one area as of a date and the median age of the open ones, for Ringkasan, Rujukan and the TP Posyandu briefing.
-- grain: one row
-- key: none
-- params: region, as_of
select count(*) as referrals, count_if(is_open) as open, count_if(overdue) as overdue,
       median(age_days) filter (where is_open) as median_open_days
from referrals_as_of($as_of)
where starts_with(village_code, $region)
