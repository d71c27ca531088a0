-- purpose: SKDN of one area summed over the months of a period: D/S from the monthly reports, N/D' from the weighings.
-- grain: one row
-- key: none
-- params: region, start, end
select count(distinct month) as months,
       sum(s_reported)::integer as s, sum(d_reported)::integer as d,
       sum(n_derived)::integer as n, sum(d_both_derived)::integer as d_both,
       sum(bgm_derived)::integer as bgm, sum(t2_derived)::integer as t2,
       100.0 * sum(d_reported) / nullif(sum(s_reported), 0) as ds_pct,
       100.0 * sum(n_derived) / nullif(sum(d_both_derived), 0) as nd_pct
from skdn_area_month
where region_code = $region and month >= $start and month < $end
