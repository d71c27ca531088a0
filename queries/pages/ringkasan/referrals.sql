-- purpose: open and overdue referrals of one area as of a date.
-- grain: one row
-- params: region, as_of
select count(*) as referrals, count_if(is_open) as open, count_if(overdue) as overdue
from referrals_as_of($as_of)
where starts_with(village_code, $region)
