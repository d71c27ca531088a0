-- purpose: the WHO digit preference score of weight and of length/height, with the number of values, in the areas one level below the chosen one (child_level '': the area itself) in a year.
-- grain: one row per area code x quantity
-- key: code, quantity
-- params: region, child_level, year
select code, name, quantity, records, score
from area_digit_preference($region, $child_level, $year)
order by code, quantity
