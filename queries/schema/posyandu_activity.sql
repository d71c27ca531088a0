-- purpose: the six-field monthly report: activities held and people reached per posyandu, month and SPM field (template kegiatan_6_bidang).
-- grain: one row per posyandu_id x month x field
-- key: posyandu_id, month, field
-- params: none
create table if not exists posyandu_activity (
    posyandu_id     varchar not null,
    month           date not null,      -- first day of the reported month
    field           varchar not null,   -- SPM field (vocab.SPM_FIELDS)
    village_code    varchar not null,
    activities      integer,            -- activities held in the field that month
    people_reached  integer,            -- people served or reached
    batch_id        integer not null,
    source_row      integer not null
)
