-- purpose: the last day with referral events, so a backlog "as of" the end of a period never runs past the data.
-- grain: one row
-- key: none
-- params: none
select coalesce(max(event_on), current_date) as last_event from referral_events
