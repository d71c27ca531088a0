-- purpose: villages marked by a programme: P2WKSS desa binaan (with its year), Posyandra location (with its opening date), lokus stunting (with its year) (template desa_program).
-- grain: one row per village_code x programme
-- key: village_code, programme
-- params: none
create table if not exists programme_villages (
    village_code    varchar not null,
    programme       varchar not null,   -- p2wkss | posyandra | lokus_stunting (vocab.PROGRAMMES)
    programme_year  integer,
    started_on      date,               -- start or opening date; else 1 January of programme_year
    batch_id        integer not null,
    source_row      integer not null
)
