-- purpose: why rows were rejected, grouped by file, column and reason, with the first offending rows.
-- grain: one row per batch_id x column_name x reason_en
-- key: batch_id, column_name, reason_en
-- params: none
select r.batch_id, r.source_file, r.dataset, r.column_name, r.reason_id, r.reason_en,
       count(*) as rows, list(r.source_row order by r.source_row)[1:5] as first_rows
from rejects r
group by all
order by r.batch_id desc, rows desc
