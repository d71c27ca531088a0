-- purpose: the data of one area runs until: its last complete month and its last month with any data (an early upload from another area never moves it).
-- grain: one row
-- key: none
-- params: region
select max(period_start) filter (where complete) as last_complete_month,
       max(period_start) filter (where months_with_data > 0) as last_data_month
from completeness
where region_code = $region and period_type = 'month'
