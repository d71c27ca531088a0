-- purpose: child weighings and length/height measurements (e-PPGBM / posyandu exports).
-- grain: one row per child_id x measured_on
-- key: child_id, measured_on
-- params: none
create table if not exists measurements (
    child_id      varchar not null,   -- the export's NIK or child id (never shown publicly)
    sex           tinyint,            -- 1 male, 2 female, null unknown
    birth_date    date,
    measured_on   date not null,
    weight_kg     double,
    lenhei_cm     double,
    measure       varchar,            -- L (recumbent length) | H (standing height) | null
    oedema        boolean,
    muac_cm       double,             -- LiLA
    village_code  varchar not null,
    posyandu_id   varchar,
    batch_id      integer not null,
    source_row    integer not null,
    -- Filled by the growth engine after every import (dashboard/build.py); null until then.
    age_days      integer,            -- measured_on - birth_date
    lenhei_adj_cm double,             -- length/height after the WHO 0.7 cm method adjustment
    measure_error boolean,            -- under 9 months recorded standing (method treated as unknown)
    haz           double,             -- length/height-for-age z-score
    waz           double,             -- weight-for-age
    whz           double,             -- weight-for-length (< 731 days) / weight-for-height
    baz           double,             -- BMI-for-age
    flag_haz      boolean,            -- implausible z-score, excluded from prevalence
    flag_waz      boolean,
    flag_whz      boolean,
    flag_baz      boolean,
    haz_status    varchar,            -- Permenkes 2/2020 labels (indicators.toml [status.*])
    waz_status    varchar,
    whz_status    varchar,
    baz_status    varchar,
    zscored_at    timestamp,
    -- As the export reports them (e-PPGBM), kept beside the WHO recomputation above; null when absent.
    reported_age_days   integer,      -- "Usia Saat Ukur" ("2 Tahun - 3 Bulan - 5 Hari") in days
    age_disagrees       boolean,      -- birth date and measurement date disagree with it by more than a month
    reported_waz        double,       -- "ZS BB/U"
    reported_haz        double,       -- "ZS TB/U"
    reported_whz        double,       -- "ZS BB/TB"
    reported_waz_status varchar,      -- "BB/U" label as written
    reported_haz_status varchar,      -- "TB/U"
    reported_whz_status varchar       -- "BB/TB"
)
