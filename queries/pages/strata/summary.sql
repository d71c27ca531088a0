-- purpose: posyandu of one area in a year and the year before: how many, Purnama + Mandiri, Posyandu Aktif, reported strata differing from the computed one, and how many moved up or down a strata; for Ringkasan, Strata Posyandu and the TP Posyandu briefing.
-- grain: one row
-- key: none
-- params: region, year, previous_year
select count(rank_now)::integer as posyandu,
       count(*) filter (where good_now)::integer as purnama_mandiri,
       100.0 * count(*) filter (where good_now) / nullif(count(rank_now), 0) as purnama_mandiri_pct,
       count(*) filter (where posyandu_aktif)::integer as aktif,
       100.0 * count(*) filter (where posyandu_aktif) / nullif(count(rank_now), 0) as aktif_pct,
       count(*) filter (where rank_now is not null and reported_strata is distinct from computed_strata)::integer as reported_differs,
       max(months_reported) as months_reported,
       count(rank_before)::integer as posyandu_before,
       count(*) filter (where good_before)::integer as purnama_mandiri_before,
       100.0 * count(*) filter (where good_before) / nullif(count(rank_before), 0) as purnama_mandiri_pct_before,
       count(*) filter (where rank_now > rank_before)::integer as moved_up,
       count(*) filter (where rank_now < rank_before)::integer as moved_down
from strata_moves($region, $year, $previous_year)
