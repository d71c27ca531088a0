-- purpose: last-digit counts of weight and length/height in each area one level below the chosen one (or the area itself at desa level) in a year, for each area's digit preference score in the TP Posyandu briefing.
-- grain: one row per area code x quantity x digit
-- params: region, child_level, year
select r.code, r.name, d.quantity, d.digit, sum(d.measurements)::integer as measurements
from digits_village_year d
join regions r on r.code = case $child_level when 'kabkota' then d.village_code[1:5]
                                             when 'kecamatan' then d.village_code[1:8]
                                             when 'desa' then d.village_code else $region end
where d.year = $year and starts_with(d.village_code, $region)
group by all
order by r.code, d.quantity, d.digit
