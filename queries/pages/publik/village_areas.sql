-- purpose: every village of a province with the area containing it at one level (the kab/kota the public tables add villages into), from the area_villages mart: the regions' parent chain, never a cut of the code.
-- grain: one row per village_code
-- key: village_code
-- params: province, level
select av.village_code, av.area_code
from area_villages av
semi join area_villages p on p.village_code = av.village_code and p.area_code = $province
where av.level = $level
order by av.village_code
