-- purpose: how many rows each canonical dataset holds, for the data status page.
-- grain: one row per dataset
-- key: dataset
-- params: none
select dataset, rows, latest from (
    select 1 as position, 'measurements' as dataset, count(*) as rows, max(measured_on) as latest from measurements
    union all
    select 2, 'posyandu_monthly', count(*), max(month) from posyandu_monthly
    union all
    select 3, 'referrals', count(*), max(referred_on) from referrals
    union all
    select 4, 'pkk_dasawisma', count(*), max(period) from pkk_dasawisma
    union all
    select 5, 'posyandu', count(*), null from posyandu
)
order by position  -- the page's order; without it DuckDB may return a union in any order
