-- purpose: the region hierarchy as rows: every area (provinsi, kab/kota, kecamatan, desa: the levels of ref_region_levels, from dashboard/regions.py) with each village inside it, so a roll-up is a join (av.village_code = x.village_code and av.level = $level), never a cut of the code. A village is its own area at desa level.
-- grain: one row per level x village_code
-- key: level, village_code
-- slice: whole (the region list: small, and every roll-up depends on all of it)
-- params: none
with recursive up (village_code, area_code) as (
    select code, code
    from regions
    where level = (select level from ref_region_levels order by depth desc limit 1)
    union all
    select up.village_code, r.parent_code
    from up
    join regions r on r.code = up.area_code
    where r.parent_code is not null
)
select a.level, up.area_code, up.village_code
from up
join regions a on a.code = up.area_code
order by up.area_code    -- stored sorted: a filter on one area reads only its row groups
