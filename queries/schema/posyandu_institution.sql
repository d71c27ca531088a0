-- purpose: the posyandu as a village institution (Permendagri 13/2024): Kemendagri registration, founding decree, and per SPM field whether it serves the field, its cadres and how many are trained; from the register template or any register with these headings.
-- grain: one row per posyandu_id
-- key: posyandu_id
-- params: none
create table if not exists posyandu_institution (
    posyandu_id                      varchar not null,
    registered_on                    date,      -- date the Kemendagri registration number was issued
    sk_present                       boolean,   -- founding decree (SK kepala desa) present
    serves_kesehatan                 boolean,
    cadres_kesehatan                 integer,
    trained_kesehatan                integer,
    serves_pendidikan                boolean,
    cadres_pendidikan                integer,
    trained_pendidikan               integer,
    serves_sosial                    boolean,
    cadres_sosial                    integer,
    trained_sosial                   integer,
    serves_perumahan_rakyat          boolean,
    cadres_perumahan_rakyat          integer,
    trained_perumahan_rakyat         integer,
    serves_trantibumlinmas           boolean,
    cadres_trantibumlinmas           integer,
    trained_trantibumlinmas          integer,
    serves_perlindungan_masyarakat   boolean,
    cadres_perlindungan_masyarakat   integer,
    trained_perlindungan_masyarakat  integer,
    batch_id                         integer not null
)
