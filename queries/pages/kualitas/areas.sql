-- purpose: data quality of the areas one level below the chosen one (or the area itself at desa level) in a year: flagged z-scores, method mismatches, SD of HAZ, reporting completeness of posyandu and SKDN D reported vs derived.
-- grain: one row per area code
-- params: region, child_level, year
with areas as (
    select code, name from regions
    where case when $child_level = '' then code = $region else parent_code = $region and level = $child_level end
),
quality as (
    select a.code, sum(q.measurements)::integer as measurements, sum(q.flagged)::integer as flagged,
           sum(q.measure_errors)::integer as measure_errors, sum(q.method_mismatch)::integer as method_mismatch
    from quality_village_year q join areas a on a.code = case $child_level when 'kabkota' then q.village_code[1:5] when 'kecamatan' then q.village_code[1:8] when 'desa' then q.village_code else $region end
    where q.year = $year and starts_with(q.village_code, $region)
    group by a.code
),
haz as (
    select region_code as code, sum(children)::integer as children_haz,
           sqrt((sum(haz_sq) - sum(haz_sum) ^ 2 / sum(children)) / nullif(sum(children) - 1, 0)) as haz_sd,
           sum(haz_sum) / nullif(sum(children), 0) as haz_mean
    from haz_distribution
    where period_type = 'year' and period_start = $year and region_code in (select code from areas)
    group by region_code
),
registered as (
    select a.code, count(*) as posyandu from posyandu p join areas a on a.code = case $child_level when 'kabkota' then p.village_code[1:5] when 'kecamatan' then p.village_code[1:8] when 'desa' then p.village_code else $region end
    where starts_with(p.village_code, $region)
    group by a.code
),
reports as (
    select region_code as code, sum(posyandu_reporting)::integer as reports, count(distinct month) as months,
           sum(d_reported)::integer as d_reported, sum(d_derived)::integer as d_derived
    from skdn_area_month
    where month >= $year and month < $year + interval 1 year and region_code in (select code from areas)
    group by region_code
)
select a.code, a.name, q.measurements, q.flagged, 100.0 * q.flagged / nullif(q.measurements, 0) as flagged_pct,
       q.measure_errors, q.method_mismatch, h.children_haz, h.haz_mean, h.haz_sd,
       g.posyandu, r.months, r.reports, 100.0 * r.reports / nullif(g.posyandu * r.months, 0) as completeness_pct,
       r.d_reported, r.d_derived
from areas a
left join quality q using (code)
left join haz h using (code)
left join registered g using (code)
left join reports r using (code)
order by a.code
