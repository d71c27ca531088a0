-- purpose: one row per imported file: what it was and how its rows were accounted for.
-- grain: one row per batch_id
-- key: batch_id
-- params: none
create table if not exists import_batches (
    batch_id        integer not null,
    file_name       varchar not null,
    sha256          varchar not null,
    dataset         varchar not null,
    sheet           varchar,
    heading_row     integer not null,   -- 1-based row of the heading in the source file
    rows_read       integer not null,   -- non-empty rows below the heading
    rows_loaded     integer not null,   -- inserted or updated
    rows_updated    integer not null,   -- of rows_loaded, how many replaced an earlier row by natural key
    rows_rejected   integer not null,
    rows_duplicate  integer not null,   -- exact duplicates of an earlier row of the same file, skipped
    columns_ignored varchar,            -- headings kept in the file but not used
    started_at      timestamp not null,
    finished_at     timestamp not null,
    headings        varchar[]           -- the heading row as written (the layout rejected rows are given back in)
)
