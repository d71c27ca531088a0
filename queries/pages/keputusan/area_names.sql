-- purpose: the names of some region codes (the areas decisions concern), for tables people read.
-- grain: one row per code found
-- key: code
-- params: codes
select code, name, level
from regions
where list_contains($codes, code)
