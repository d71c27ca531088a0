-- purpose: how often each last digit (0-9) of weight (0.1 kg) and length/height (0.1 cm) occurs per village and year, for the digit preference score.
-- grain: one row per village_code x year x quantity x digit
-- key: village_code, year, quantity, digit
-- slice: village_code, year
-- params: none
select village_code, year, quantity, digit, count(*)::integer as measurements
from (
    select village_code, date_trunc('year', measured_on)::date as year, 'weight' as quantity,
           (round(weight_kg * 10)::bigint % 10)::integer as digit
    from measurements where weight_kg is not null
    union all
    select village_code, date_trunc('year', measured_on)::date, 'height',
           (round(lenhei_cm * 10)::bigint % 10)::integer
    from measurements where lenhei_cm is not null
)
group by all
