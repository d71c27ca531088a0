-- purpose: data quality of each area of one level inside a region in a year (area_level '' gives the region itself): flagged z-scores, recording errors, method mismatches, mean and SD of HAZ, reporting completeness of registered posyandu and SKDN D reported vs derived. The Kualitas page and the quality checks read it.
-- grain: one row per code
-- params: none
-- macro arguments: in_region (a region code), area_level (a level, or ''), in_year (date, 1 January)
create or replace macro area_quality(in_region, area_level, in_year) as table
with areas as (
    select * from areas_within(in_region, area_level)
),
quality as (
    select a.code, sum(q.measurements)::integer as measurements, sum(q.flagged)::integer as flagged,
           sum(q.measure_errors)::integer as measure_errors, sum(q.method_mismatch)::integer as method_mismatch
    from quality_village_year q
    join areas a on a.village_code = q.village_code
    where q.year = in_year
    group by a.code
),
haz as (
    select region_code as code, sum(children)::integer as children_haz,
           sqrt((sum(haz_sq) - sum(haz_sum) ^ 2 / sum(children)) / nullif(sum(children) - 1, 0)) as haz_sd,
           sum(haz_sum) / nullif(sum(children), 0) as haz_mean
    from haz_distribution
    where period_type = 'year' and period_start = in_year and region_code in (select code from areas)
    group by region_code
),
registered as (
    select a.code, count(*) as posyandu
    from posyandu p
    join areas a on a.village_code = p.village_code
    group by a.code
),
reports as (
    select region_code as code, sum(posyandu_reporting)::integer as reports, count(distinct month) as months,
           sum(d_reported)::integer as d_reported, sum(d_derived)::integer as d_derived
    from skdn_area_month
    where month >= in_year and month < in_year + interval 1 year and region_code in (select code from areas)
    group by region_code
)
select a.code, a.name, q.measurements, q.flagged, 100.0 * q.flagged / nullif(q.measurements, 0) as flagged_pct,
       q.measure_errors, q.method_mismatch, 100.0 * q.method_mismatch / nullif(q.measurements, 0) as method_mismatch_pct,
       h.children_haz, h.haz_mean, h.haz_sd,
       g.posyandu, r.months, r.reports, 100.0 * r.reports / nullif(g.posyandu * r.months, 0) as completeness_pct,
       r.d_reported, r.d_derived
from (select distinct code, name from areas) a
left join quality q using (code)
left join haz h using (code)
left join registered g using (code)
left join reports r using (code)
