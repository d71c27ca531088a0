-- purpose: the areas of one level inside a region, each with its name and every village inside it: the one "areas one level down" roll-up of the per-area page queries (area_level '' gives the region itself, e.g. at desa level).
-- grain: one row per code x village_code
-- params: none
-- macro arguments: in_region (a region code), area_level (a level of ref_region_levels, or '')
create or replace macro areas_within(in_region, area_level) as table
select av.area_code as code, r.name, av.village_code
from area_villages home
join area_villages av on av.village_code = home.village_code
join regions r on r.code = av.area_code
where home.area_code = in_region and av.level = coalesce(nullif(area_level, ''), home.level)
