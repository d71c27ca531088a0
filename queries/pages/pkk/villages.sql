-- purpose: Dasa Wisma household indicators of the villages of one area in a year, with stunting of the same villages and year, for the PKK page and its scatter.
-- grain: one row per village_code
-- key: village_code
-- params: region, year
select v.village_code, r.name as desa, k.name as kecamatan, v.recaps, v.households,
       100.0 * v.households_jamban / nullif(v.households, 0) as jamban,
       100.0 * v.households_air_bersih / nullif(v.households, 0) as air_bersih,
       100.0 * v.households_rumah_sehat / nullif(v.households, 0) as rumah_sehat,
       100.0 * v.households_pekarangan / nullif(v.households, 0) as pekarangan,
       100.0 * v.households_up2k / nullif(v.households, 0) as up2k,
       100.0 * v.households_spal / nullif(v.households, 0) as spal,
       100.0 * v.households_tempat_sampah / nullif(v.households, 0) as tempat_sampah,
       p.numerator as stunted, p.denominator as children, p.prevalence as stunting_pct
from pkk_village_year v
left join regions r on r.code = v.village_code
left join area_villages kv on kv.village_code = v.village_code and kv.level = 'kecamatan'
left join regions k on k.code = kv.area_code
left join prevalence p on p.region_code = v.village_code and p.indicator = 'stunting'
     and p.period_type = 'year' and p.period_start = $year
where starts_with(v.village_code, $region) and v.year = $year
order by v.village_code
