"""Figures the demo is calibrated to: public reference figures of domain.md, used only to shape
synthetic data (never as results). Stunting prevalence in %, SSGI 2022 unless noted."""

from __future__ import annotations

# Banten kab/kota, SSGI 2022.
BANTEN_STUNTING = {
    "36.01": 29.4,  # Kab Pandeglang
    "36.02": 26.2,  # Kab Lebak
    "36.03": 21.1,  # Kab Tangerang
    "36.04": 26.4,  # Kab Serang
    "36.71": 11.8,  # Kota Tangerang
    "36.72": 19.1,  # Kota Cilegon
    "36.73": 23.8,  # Kota Serang
    "36.74": 9.0,   # Kota Tangerang Selatan
}
# Kalimantan Tengah: province 26.9 (SSGI 2022); kab/kota with a published figure use it
# (Gunung Mas 2022; Barito Timur, Kotawaringin Timur, Lamandau 2021), the others spread around
# the province figure deterministically in the generator.
KALTENG_PROVINCE = 26.9
KALTENG_STUNTING = {
    "62.10": 17.9,  # Kab Gunung Mas (2022)
    "62.06": 33.7,  # Kab Barito Timur (2021)
    "62.02": 32.5,  # Kab Kotawaringin Timur (2021)
    "62.08": 23.2,  # Kab Lamandau (2021)
}
# Spread of length/height-for-age z within an area (routine data typically 1.2-1.5).
HAZ_SD = 1.25
# Change of the area mean HAZ over the 24 demo months (a slow improvement).
HAZ_IMPROVEMENT = 0.12
# Under-fives (province scale) and children per village at small scale.
UNDER_FIVES = {"36": 1_000_000, "62": 250_000}
SMALL_CHILDREN_PER_VILLAGE = {"36": 8, "62": 6}
CHILDREN_PER_POSYANDU = 70
# Kab/kota of the small demo whose villages get enough children for their village maps to be
# coloured on first run (most villages >= 30 children measured in a year): Kab Serang and Kota
# Palangka Raya, one per province. A real village has a few hundred under-fives; these numbers
# are what the small demo's build-time budget (60 s) allows. Kelurahan get 1.5 times as many.
FOCUS_CHILDREN_PER_VILLAGE = {"36.04": 60, "62.71": 80}
