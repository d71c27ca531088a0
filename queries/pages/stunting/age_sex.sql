-- purpose: stunting of one area and period by age group and sex (moderate = stunted but not severe).
-- grain: one row per age_group x sex
-- key: age_group, sex
-- params: region, period_type, period_start
select age_group, sex, children, stunted, severe, stunted - severe as moderate,
       100.0 * stunted / nullif(children, 0) as stunting_pct, 100.0 * severe / nullif(children, 0) as severe_pct
from stunting_age_sex
where region_code = $region and period_type = $period_type and period_start = $period_start
order by list_position(['0-5', '6-11', '12-23', '24-35', '36-59'], age_group), sex
