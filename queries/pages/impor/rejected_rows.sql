-- purpose: the rejected rows of one import batch in the file's own layout, with every reason of each row (the offending value as stored in rejects, masked when personal), for the office to correct and import again; admin only.
-- grain: one row per source_row of the batch
-- key: source_row
-- params: batch_id
select r.source_row, b.headings, r.cells,
       string_agg(case when j.column_name = '' then j.reason_id
                       else j.column_name || ': ' || j.reason_id || coalesce(' (' || j.value || ')', '') end,
                  '; ' order by j.column_name) as reason_id,
       string_agg(case when j.column_name = '' then j.reason_en
                       else j.column_name || ': ' || j.reason_en || coalesce(' (' || j.value || ')', '') end,
                  '; ' order by j.column_name) as reason_en
from reject_rows r
join import_batches b on b.batch_id = r.batch_id
join rejects j on j.batch_id = r.batch_id and j.source_row = r.source_row
where r.batch_id = $batch_id
group by all
order by r.source_row
