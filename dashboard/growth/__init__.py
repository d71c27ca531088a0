"""WHO 2006 Child Growth Standards: vectorised z-scores, flags and Permenkes 2/2020 statuses."""
