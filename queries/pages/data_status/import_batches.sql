-- purpose: every import batch, newest first, with its row accounting.
-- grain: one row per batch_id
-- key: batch_id
-- params: none
select batch_id, file_name, dataset, sheet, heading_row, rows_read, rows_loaded, rows_updated, rows_rejected,
       rows_duplicate, columns_ignored, finished_at
from import_batches
order by batch_id desc
