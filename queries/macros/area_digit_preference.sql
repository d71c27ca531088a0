-- purpose: the WHO digit preference score of weight and of length/height in each area of one level inside a region in a year (area_level '' gives the region itself): 100 * sqrt(chi2 / (N * 9)) over the ten last digits, with N.
-- grain: one row per code x quantity
-- params: none
-- macro arguments: in_region (a region code), area_level (a level, or ''), in_year (date, 1 January)
create or replace macro area_digit_preference(in_region, area_level, in_year) as table
with counted as (
    select a.code, a.name, d.quantity, d.digit, sum(d.measurements) as measurements
    from digits_village_year d
    join areas_within(in_region, area_level) a on a.village_code = d.village_code
    where d.year = in_year
    group by all
),
all_digits as (    -- a digit never recorded counts as zero
    select q.code, q.name, q.quantity, g.digit, coalesce(c.measurements, 0) as measurements,
           sum(coalesce(c.measurements, 0)) over (partition by q.code, q.quantity) as records
    from (select distinct code, name, quantity from counted) q
    cross join range(10) g(digit)
    left join counted c on c.code = q.code and c.quantity = q.quantity and c.digit = g.digit
)
select code, name, quantity, records::integer as records,
       100 * sqrt(sum((measurements - records / 10) ^ 2 / (records / 10)) / (records * 9)) as score
from all_digits
group by code, name, quantity, records
