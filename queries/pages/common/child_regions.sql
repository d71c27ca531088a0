-- purpose: the regions one level below a region (or the provinces with data when parent is ''), for the filter bar's drill-down.
-- grain: one row per region code
-- key: code
-- params: parent
select code, name, level, kind
from regions
where case when $parent = '' then level = 'provinsi' and code in (
                select region_code from skdn_area_month where level = 'provinsi'
                union select region_code from prevalence where level = 'provinsi')
           else parent_code = $parent end
order by code
