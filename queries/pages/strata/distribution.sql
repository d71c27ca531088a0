-- purpose: posyandu per computed strata in each area one level below the chosen one (or the area itself at desa level) for a year.
-- grain: one row per area code x computed_strata
-- params: region, child_level, year
select r.code, r.name, s.computed_strata, count(*) as posyandu
from strata_posyandu_year s
join regions r on r.code = case $child_level when 'kabkota' then s.village_code[1:5]
                                            when 'kecamatan' then s.village_code[1:8]
                                            when 'desa' then s.village_code else $region end
where s.year = $year and starts_with(s.village_code, $region)
group by all
order by r.code
