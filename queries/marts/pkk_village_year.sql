-- purpose: Dasa Wisma household indicators per village and year (the latest recap of each Dasa Wisma in the year, summed), as counts of households so any area can be summed.
-- grain: one row per village_code x year
-- key: village_code, year
-- slice: village_code, year
-- params: none
with latest as (
    select *, date_trunc('year', period)::date as year
    from pkk_dasawisma
    qualify row_number() over (partition by village_code, rw, rt, dasawisma, date_trunc('year', period)
                               order by period desc) = 1
)
select village_code, year,
       count(*)::integer as recaps,
       sum(kk_count)::integer as kk_count,
       sum(households)::integer as households,
       sum(members_balita)::integer as members_balita,
       sum(households_jamban)::integer as households_jamban,
       sum(households_air_bersih)::integer as households_air_bersih,
       sum(households_rumah_sehat)::integer as households_rumah_sehat,
       sum(households_pekarangan)::integer as households_pekarangan,
       sum(households_up2k)::integer as households_up2k,
       sum(households_spal)::integer as households_spal,
       sum(households_tempat_sampah)::integer as households_tempat_sampah
from latest
group by all
