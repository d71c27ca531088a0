-- purpose: when the data was last updated (the last import), for the public page; the month the data runs until is each province's own (pages/common/area_data_until).
-- grain: one row
-- key: none
-- params: none
select (select max(finished_at) from import_batches) as last_import
