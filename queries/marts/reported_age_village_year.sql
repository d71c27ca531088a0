-- purpose: measurements whose birth and measurement dates disagree with the age the export reports ("Usia Saat Ukur") by more than a month, per village and year.
-- grain: one row per village_code x year, only where the export reported an age
-- key: village_code, year
-- slice: village_code, year
-- params: none
select village_code, date_trunc('year', measured_on)::date as year,
       count(*)::integer as with_reported_age,
       count_if(age_disagrees)::integer as age_disagrees
from measurements
where reported_age_days is not null
group by all
