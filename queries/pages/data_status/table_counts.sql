-- purpose: how many rows each canonical dataset holds, for the data status page.
-- grain: one row per dataset
-- key: dataset
-- params: none
select 'measurements' as dataset, count(*) as rows, max(measured_on) as latest from measurements
union all
select 'posyandu_monthly', count(*), max(month) from posyandu_monthly
union all
select 'referrals', count(*), max(referred_on) from referrals
union all
select 'pkk_dasawisma', count(*), max(period) from pkk_dasawisma
union all
select 'posyandu', count(*), null from posyandu
