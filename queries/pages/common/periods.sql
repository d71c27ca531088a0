-- purpose: the months that have any measurement or monthly report, for the period picker.
-- grain: one row per month
-- key: month
-- params: none
select distinct month from (
    select period_start as month from prevalence where level = 'provinsi' and period_type = 'month'
    union all
    select month from skdn_area_month where level = 'provinsi'
)
order by month
