-- purpose: each rejected row as the file had it (cells as text in heading order), so an office can download, correct and import it again; admin only, the cells hold personal data.
-- grain: one row per batch_id x source_row
-- key: batch_id, source_row
-- params: none
create table if not exists reject_rows (
    batch_id    integer not null,
    source_row  integer not null,    -- 1-based row number as a spreadsheet shows it
    cells       varchar[] not null   -- one cell per heading of import_batches.headings, null when empty
)
