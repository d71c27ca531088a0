-- purpose: status changes of each referral, so a backlog can be computed as of any date.
-- grain: one row per referral_id x status
-- key: referral_id, status
-- params: none
create table if not exists referral_events (
    referral_id  varchar not null,
    status       varchar not null,
    event_on     date not null,
    batch_id     integer not null
)
