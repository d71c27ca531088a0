-- purpose: every rejected row with where and why, in Indonesian and English.
-- grain: one row per batch_id x source_row x column_name (a row may fail on several columns)
-- key: batch_id, source_row, column_name
-- params: none
create table if not exists rejects (
    batch_id      integer not null,
    dataset       varchar not null,
    source_file   varchar not null,
    source_row    integer not null,   -- 1-based row number as a spreadsheet shows it
    column_name   varchar not null,   -- the heading as written in the file ('' for whole-row problems)
    value         varchar,            -- the offending value; masked for personal columns (NIK, names, dates of birth)
    reason_id     varchar not null,
    reason_en     varchar not null
)
