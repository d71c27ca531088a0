-- purpose: the children's latest valid HAZ per village and period in 0.25 SD bins, with exact sums of HAZ and HAZ squared: what the haz_distribution mart rolls up to every area.
-- grain: one row per village_code x period_type x period_start x bin
-- key: village_code, period_type, period_start, bin
-- slice: village_code, period_type, period_start
-- params: none
with binned as (
    select period_type, period_start, village_code, floor(haz * 4) / 4 as bin, haz
    from child_period_z
    where haz is not null
)
select period_type, period_start, village_code, bin, count(*) as children,
       sum(haz::decimal(18, 6)) as haz_sum, sum((haz * haz)::decimal(18, 6)) as haz_sq   -- exact sums: the
       -- same whatever order the rows come in, so a refreshed slice equals a full rebuild bit for bit
from binned
group by all
