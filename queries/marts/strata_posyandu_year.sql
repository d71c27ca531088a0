-- purpose: yearly strata inputs per posyandu from its monthly reports, the strata computed by the Kemenkes 2011 rule (thresholds in ref_strata), whether it is Purnama or Mandiri (the one definition of "Purnama + Mandiri"), which rules hold and which fail (keys of ref_strata_rules), the reported strata beside it, and the Posyandu Aktif rule.
-- grain: one row per posyandu_id x year
-- key: posyandu_id, year
-- slice: posyandu_id, year
-- params: none
with monthly as (
    select m.*, date_trunc('year', m.month)::date as year,
           m.d_count::double / nullif(m.s_count, 0) as ds,
           m.kia_served::double / nullif(m.kia_target, 0) as kia,
           m.kb_served::double / nullif(m.kb_target, 0) as kb,
           m.imm_served::double / nullif(m.imm_target, 0) as imm
    from posyandu_monthly m
),
yearly as (
    select posyandu_id, year,
           arg_max(village_code, month) as village_code,
           count(*) as months_reported,
           count_if(opened) as months_opened,
           avg(cadres_on_duty) filter (where opened) as avg_cadres,
           100 * avg(ds) filter (where opened) as avg_ds_pct,
           100 * sum(kia_served)::double / nullif(sum(kia_target), 0) as kia_pct,
           100 * sum(kb_served)::double / nullif(sum(kb_target), 0) as kb_pct,
           100 * sum(imm_served)::double / nullif(sum(imm_target), 0) as imm_pct,
           max(additional_programmes) as programmes,
           100 * arg_max(dana_sehat_households::double / nullif(households, 0), month)
               filter (where households > 0) as dana_sehat_pct,
           arg_max(reported_strata, month) filter (where reported_strata is not null) as reported_strata,
           count_if(ds >= r.aktif_service_pct / 100) as months_ds_ok,
           count_if(kia >= r.aktif_service_pct / 100) as months_kia_ok,
           count_if(kb >= r.aktif_service_pct / 100) as months_kb_ok,
           count_if(imm >= r.aktif_service_pct / 100) as months_imm_ok,
           max(cadres_on_duty) as max_cadres
    from monthly, ref_strata r
    group by posyandu_id, year
),
rules as (
    select y.*,
           coalesce(months_opened >= r.min_months_opened, false) as ok_frequency,
           coalesce(avg_cadres >= r.min_cadres, false) as ok_cadres,
           coalesce(avg_ds_pct >= r.min_ds_pct, false) as ok_ds,
           coalesce(kia_pct >= r.min_kia_pct, false) as ok_kia,
           coalesce(kb_pct >= r.min_kb_pct, false) as ok_kb,
           coalesce(imm_pct >= r.min_imm_pct, false) as ok_imm,
           coalesce(programmes >= r.min_programmes, false) as ok_programmes,
           coalesce(dana_sehat_pct >= r.min_dana_sehat_pct, false) as ok_dana_sehat,
           (months_ds_ok >= r.aktif_service_months)::int + (months_kia_ok >= r.aktif_service_months)::int
               + (months_kb_ok >= r.aktif_service_months)::int + (months_imm_ok >= r.aktif_service_months)::int
               as services_ok,
           r.aktif_min_months, r.aktif_min_cadres, r.aktif_min_services
    from yearly y, ref_strata r
)
select posyandu_id, year, village_code, months_reported, months_opened, avg_cadres, avg_ds_pct, kia_pct, kb_pct,
       imm_pct, programmes, dana_sehat_pct,
       ok_frequency, ok_cadres, ok_ds, ok_kia, ok_kb, ok_imm, ok_programmes, ok_dana_sehat,
       case when not (ok_frequency and ok_cadres) then 'pratama'
            when not (ok_ds and ok_kia and ok_kb and ok_imm and ok_programmes) then 'madya'
            when not ok_dana_sehat then 'purnama'
            else 'mandiri' end as computed_strata,
       computed_strata in ('purnama', 'mandiri') as purnama_mandiri,
       list_filter([case when not ok_frequency then 'frequency' end, case when not ok_cadres then 'cadres' end,
                    case when not ok_ds then 'ds' end, case when not ok_kia then 'kia' end,
                    case when not ok_kb then 'kb' end, case when not ok_imm then 'imm' end,
                    case when not ok_programmes then 'programmes' end,
                    case when not ok_dana_sehat then 'dana_sehat' end], lambda rule: rule is not null) as failed_rules,
       reported_strata,
       services_ok,
       coalesce(months_opened >= aktif_min_months and max_cadres >= aktif_min_cadres
                and services_ok >= aktif_min_services, false) as posyandu_aktif
from rules
