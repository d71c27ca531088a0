-- purpose: one region with its ancestors' codes, to rebuild the drill-down from a code in the URL.
-- grain: one row (or none when the code is unknown)
-- key: code
-- params: code
select code, name, level, kind, parent_code
from regions
where code = $code
