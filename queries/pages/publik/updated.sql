-- purpose: when the data was last updated (the last import) and the last month it covers, for the public page.
-- grain: one row
-- key: none
-- params: none
select (select max(finished_at) from import_batches) as last_import,
       (select max(period_start) from prevalence where level = 'provinsi' and period_type = 'month') as last_month
