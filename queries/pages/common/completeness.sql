-- purpose: how complete one area's period is (months with data, complete months, the months covered, the share of usually-reporting posyandu that reported), for the caption under the filter, the meeting slides and the public page.
-- grain: one row (none when the area has no data in the period)
-- key: none
-- params: region, period_type, period_start
select months, months_with_data, complete_months, first_data_month, last_data_month, reporting_pct, complete
from completeness
where region_code = $region and period_type = $period_type and period_start = $period_start
