-- purpose: referrals (rujukan) with their current status; history is in referral_events.
-- grain: one row per referral_id
-- key: referral_id
-- params: none
create table if not exists referrals (
    referral_id         varchar not null,
    referred_on         date not null,
    village_code        varchar not null,
    posyandu_id         varchar,
    subject_type        varchar not null,   -- balita | ibu_hamil | keluarga | lansia | remaja | lainnya
    reason_category     varchar not null,   -- see dashboard/ingest/vocab.py REASON_CATEGORIES
    destination_agency  varchar not null,   -- see dashboard/ingest/vocab.py AGENCIES
    status              varchar not null,   -- dirujuk | diterima | ditindaklanjuti | selesai | ditolak | batal
    status_on           date not null,      -- date of the current status
    batch_id            integer not null,
    source_row          integer not null
)
