-- purpose: the P2WKSS candidate list of one area: every village with data (a stunting prevalence, a Dasa Wisma recap or an open social referral) with each input of the stated mix visible (stunting prevalence and children measured, households without a latrine, without clean water and not in a healthy house from the Dasa Wisma recap, open social referrals, i.e. of any field but kesehatan), each input's percentile rank among the area's villages (higher need ranks higher, a missing input ranks lowest), and the need score: the ranks weighted by ref_p2wkss_mix, 0..100.
-- grain: one row per village_code
-- key: village_code
-- params: region, year, as_of
with villages as (
    select av.village_code from area_villages av where av.area_code = $region
),
stunting as (
    select region_code as village_code, prevalence as stunting_pct, denominator as children
    from prevalence
    where indicator = 'stunting' and period_type = 'year' and level = 'desa' and period_start = $year
),
pkk as (
    select village_code, households,
           100 - 100.0 * households_jamban / nullif(households, 0) as jamban_missing_pct,
           100 - 100.0 * households_air_bersih / nullif(households, 0) as air_bersih_missing_pct,
           100 - 100.0 * households_rumah_sehat / nullif(households, 0) as rumah_sehat_missing_pct
    from pkk_village_year
    where year = $year
),
social as (
    select r.village_code, count(*) as open_social_referrals
    from referrals_as_of($as_of) r
    join ref_reason_field f using (reason_category)
    where r.is_open and f.field <> 'kesehatan'
    group by all
),
inputs as (
    select v.village_code, s.stunting_pct, s.children, p.households, p.jamban_missing_pct, p.air_bersih_missing_pct,
           p.rumah_sehat_missing_pct, coalesce(o.open_social_referrals, 0) as open_social_referrals,
           exists (select 1 from programme_villages g where g.village_code = v.village_code and g.programme = 'p2wkss')
               as already_p2wkss
    from villages v
    left join stunting s using (village_code)
    left join pkk p using (village_code)
    left join social o using (village_code)
    where s.stunting_pct is not null or p.households is not null or o.open_social_referrals is not null
),
ranked as (
    select *,
           percent_rank() over (order by stunting_pct asc nulls first) as rank_stunting,
           percent_rank() over (order by jamban_missing_pct asc nulls first) as rank_jamban,
           percent_rank() over (order by air_bersih_missing_pct asc nulls first) as rank_air_bersih,
           percent_rank() over (order by rumah_sehat_missing_pct asc nulls first) as rank_rumah_sehat,
           percent_rank() over (order by open_social_referrals asc) as rank_social
    from inputs
)
select r.village_code, d.name as desa, k.name as kecamatan, r.already_p2wkss,
       round(r.stunting_pct, 1) as stunting_pct, r.children, r.households,
       round(r.jamban_missing_pct, 1) as jamban_missing_pct, round(r.air_bersih_missing_pct, 1) as air_bersih_missing_pct,
       round(r.rumah_sehat_missing_pct, 1) as rumah_sehat_missing_pct, r.open_social_referrals,
       round(100 * (w.stunting_pct * r.rank_stunting + w.jamban_missing_pct * r.rank_jamban
                    + w.air_bersih_missing_pct * r.rank_air_bersih + w.rumah_sehat_missing_pct * r.rank_rumah_sehat
                    + w.open_social_referrals * r.rank_social)
             / (w.stunting_pct + w.jamban_missing_pct + w.air_bersih_missing_pct + w.rumah_sehat_missing_pct
                + w.open_social_referrals), 1) as need_score
from ranked r
cross join ref_p2wkss_mix w
join regions d on d.code = r.village_code
join regions k on k.code = d.parent_code
order by need_score desc, r.village_code
