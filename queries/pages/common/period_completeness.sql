-- purpose: every period of one type for one area with how complete it is, newest first, for the period picker's labels and its default (the latest complete period).
-- grain: one row per period_start
-- key: period_start
-- params: region, period_type
select period_start, months, months_with_data, complete_months, first_data_month, last_data_month, reporting_pct,
       complete
from completeness
where region_code = $region and period_type = $period_type
order by period_start desc
