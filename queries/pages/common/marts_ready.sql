-- purpose: whether the derived tables the indicator pages read exist (an import builds them).
-- grain: one row
-- key: none
-- params: none
select count(*) = 2 as ready from information_schema.tables where table_name in ('skdn_area_month', 'prevalence')
