-- purpose: every posyandu of one area in a year with its strata inputs, which rules hold and which fail (keys of ref_strata_rules), computed and reported strata and Posyandu Aktif.
-- grain: one row per posyandu_id
-- key: posyandu_id
-- values: computed_strata in strata.levels
-- params: region, year
select s.posyandu_id, p.name as posyandu, v.name as desa, s.village_code, s.months_reported, s.months_opened,
       round(s.avg_cadres, 1) as avg_cadres, round(s.avg_ds_pct, 1) as avg_ds_pct, round(s.kia_pct, 1) as kia_pct,
       round(s.kb_pct, 1) as kb_pct, round(s.imm_pct, 1) as imm_pct, s.programmes,
       round(s.dana_sehat_pct, 1) as dana_sehat_pct,
       s.ok_frequency, s.ok_cadres, s.ok_ds, s.ok_kia, s.ok_kb, s.ok_imm, s.ok_programmes, s.ok_dana_sehat,
       s.failed_rules, s.computed_strata, s.reported_strata, s.posyandu_aktif
from strata_posyandu_year s
join ref_strata_levels l on l.level = s.computed_strata
left join posyandu p using (posyandu_id)
left join regions v on v.code = s.village_code
where starts_with(s.village_code, $region) and s.year = $year
order by l.strata_rank, s.posyandu_id
