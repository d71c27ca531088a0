-- purpose: PKK Dasa Wisma recap rows (households and members by group, household facilities).
-- grain: one row per village_code x rw x rt x dasawisma x period
-- key: village_code, rw, rt, dasawisma, period
-- params: none
create table if not exists pkk_dasawisma (
    village_code              varchar not null,
    rw                        varchar not null,   -- '' when the recap is above RW level
    rt                        varchar not null,   -- '' when the recap is above RT level
    dasawisma                 varchar not null,   -- '' when the recap is above Dasa Wisma level
    period                    date not null,      -- first day of the recap month (January for yearly recaps)
    kk_count                  integer,
    households                integer,
    members_balita            integer,
    members_pus               integer,
    members_wus               integer,
    members_ibu_hamil         integer,
    members_menyusui          integer,
    members_lansia            integer,
    members_buta_huruf        integer,
    members_berkebutuhan_khusus integer,
    households_rumah_sehat    integer,
    households_jamban         integer,
    households_air_bersih     integer,
    households_tempat_sampah  integer,
    households_spal           integer,
    households_stiker_p4k     integer,
    households_makanan_pokok_beras integer,
    households_pekarangan     integer,
    households_industri_rt    integer,
    households_up2k           integer,
    households_kerja_bakti    integer,
    -- from the printed recap (Rekapitulasi Catatan Data dan Kegiatan Warga); null where a file lacks them
    members_male              integer,            -- household members by sex (Total L / Total P)
    members_female            integer,
    members_balita_l          integer,            -- by sex where the form splits L/P; the total above is their sum
    members_balita_p          integer,
    members_lansia_l          integer,
    members_lansia_p          integer,
    members_buta_huruf_l      integer,
    members_buta_huruf_p      integer,
    members_berkebutuhan_khusus_l integer,
    members_berkebutuhan_khusus_p integer,
    households_air_pdam       integer,            -- water source; households_air_bersih is PDAM + sumur when not given
    households_air_sumur      integer,
    households_air_sungai     integer,
    households_air_lainnya    integer,
    households_makanan_pokok_non_beras integer,
    batch_id                  integer not null,
    source_row                integer not null
)
