-- purpose: posyandu monthly report (SKDN and the inputs of the strata rule) as the export reports them.
-- grain: one row per posyandu_id x month
-- key: posyandu_id, month
-- params: none
create table if not exists posyandu_monthly (
    posyandu_id            varchar not null,
    month                  date not null,     -- first day of the reported month
    village_code           varchar not null,
    opened                 boolean,           -- posyandu held its session (hari buka) this month
    cadres_on_duty         integer,           -- kader aktif/bertugas
    s_count                integer,           -- S: all under-fives in the area
    k_count                integer,           -- K: with KMS/Buku KIA
    d_count                integer,           -- D: weighed this month
    n_count                integer,           -- N: weighed and weight rose (naik)
    t_count                integer,           -- T: weighed both months, gained less than KBM
    o_count                integer,           -- O: weighed this month, not last month
    b_count                integer,           -- B: weighed for the first time (baru)
    bgm_count              integer,           -- below the red line
    t2_count               integer,           -- 2T: T two months in a row
    kia_target             integer,           -- pregnant women in the area
    kia_served             integer,           -- pregnant women examined
    kb_target              integer,           -- couples of reproductive age (PUS)
    kb_served              integer,           -- PUS using contraception
    imm_target             integer,           -- infants due for immunisation
    imm_served             integer,           -- infants immunised
    additional_programmes  integer,           -- number of additional programmes run
    households             integer,           -- households in the area
    dana_sehat_households  integer,           -- households in dana sehat
    reported_strata        varchar,           -- pratama | madya | purnama | mandiri as self-reported
    batch_id               integer not null,
    source_row             integer not null
)
