-- purpose: stunting (HAZ below the catalogue cut-offs) per village, period, age group and sex: the counts the stunting_age_sex mart rolls up to every area; age groups are those of the SKDN F2 form.
-- grain: one row per village_code x period_type x period_start x age_group x sex
-- key: village_code, period_type, period_start, age_group, sex
-- slice: village_code, period_type, period_start
-- params: none
with cut as (
    select max(cutoff) filter (where indicator = 'stunting') as moderate,
           max(cutoff) filter (where indicator = 'severe_stunting') as severe
    from ref_prevalence_indicators
),
child as (
    select c.period_type, c.period_start, c.village_code, c.sex,
           case when c.age_days / g.days_per_month < 6 then '0-5'
                when c.age_days / g.days_per_month < 12 then '6-11'
                when c.age_days / g.days_per_month < 24 then '12-23'
                when c.age_days / g.days_per_month < 36 then '24-35'
                else '36-59' end as age_group,
           c.haz < cut.moderate as stunted, c.haz < cut.severe as severe
    from child_period_z c, ref_growth g, cut
    where c.haz is not null
)
select period_type, period_start, village_code, age_group, sex,
       count(*) as children, count_if(stunted) as stunted, count_if(severe) as severe
from child
group by all
