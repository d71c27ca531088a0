-- purpose: posyandu register; one row per posyandu, created or updated by every dataset that names one.
-- grain: one row per posyandu_id
-- key: posyandu_id
-- params: none
create table if not exists posyandu (
    posyandu_id   varchar not null,   -- register number PP.KK.CC.DDDD.NNN where exported, else village_code/slug(name)
    name          varchar,
    village_code  varchar not null,
    register_no   varchar,
    rw            varchar,
    batch_id      integer not null
)
