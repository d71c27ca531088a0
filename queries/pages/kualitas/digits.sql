-- purpose: last-digit counts of weight and length/height for one area and year (digit preference).
-- grain: one row per quantity x digit
-- key: quantity, digit
-- params: region, year
select quantity, digit, sum(measurements)::integer as measurements
from digits_village_year
where starts_with(village_code, $region) and year = $year
group by all
order by quantity, digit
