-- purpose: the villages of one area with their kecamatan, for the P2WKSS assessment form and ranking.
-- grain: one row per village_code
-- key: village_code
-- params: region
select av.village_code, d.name as desa, k.name as kecamatan
from area_villages av
join regions d on d.code = av.village_code
join regions k on k.code = d.parent_code
where av.area_code = $region
order by k.name, d.name
