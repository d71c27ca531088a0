"""Changing a filter in the browser changes the figures on the first click (issue 16 §1: the period bar
used to ignore every second change). Fourteen successive changes of period type, period, kecamatan,
desa, province and kab/kota on Ringkasan; after each the URL, the page's place and period, and the
stunting n/N (counted in the database by the test, not by the page) follow."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.conftest import frame
from tests.e2e.conftest import TIMEOUT, assert_no_streamlit_exception, rerun_after, screenshot, start_app, \
    wait_for_app_idle
from tests.e2e.login import open_logged_in, use_test_users

pytestmark = pytest.mark.e2e

# (picker, option to click) -> (wilayah, periode) expected in the URL, the place and period the page names
STEPS = [
    (("Jenis periode", "Triwulan"), ("36.04", "2025-Q4"), "Banten › Kabupaten Serang · Triwulan 4 2025"),
    (("Periode", "Triwulan 3 2025"), ("36.04", "2025-Q3"), "Banten › Kabupaten Serang · Triwulan 3 2025"),
    (("Jenis periode", "Tahun"), ("36.04", "2025"), "Banten › Kabupaten Serang · Tahun 2025"),
    (("Periode", "Tahun 2026 (10 dari 12 bulan)"), ("36.04", "2026"),     # a partial year says so (issue 16 §2)
     "Banten › Kabupaten Serang · Tahun 2026 (10 dari 12 bulan)"),
    (("Jenis periode", "Bulan"), ("36.04", "2026-10"), "Banten › Kabupaten Serang · Oktober 2026"),
    (("Periode", "Agustus 2026"), ("36.04", "2026-08"), "Banten › Kabupaten Serang · Agustus 2026"),
    (("Kecamatan", "Cikande"), ("36.04.15", "2026-08"), "Banten › Kabupaten Serang › Cikande · Agustus 2026"),
    (("Desa/Kelurahan", "Sukatani"), ("36.04.15.2008", "2026-08"),
     "Banten › Kabupaten Serang › Cikande › Sukatani · Agustus 2026"),
    (("Desa/Kelurahan", "Leuwi Limus"), ("36.04.15.2002", "2026-08"),
     "Banten › Kabupaten Serang › Cikande › Leuwi Limus · Agustus 2026"),
    (("Kecamatan", "(semua)"), ("36.04", "2026-08"), "Banten › Kabupaten Serang · Agustus 2026"),
    (("Provinsi", "Kalimantan Tengah"), ("62", "2026-08"), "Kalimantan Tengah · Agustus 2026"),
    (("Kabupaten/Kota", "Kota Palangkaraya"), ("62.71", "2026-08"),
     "Kalimantan Tengah › Kota Palangkaraya · Agustus 2026"),
    (("Jenis periode", "Triwulan"), ("62.71", "2026-Q3"), "Kalimantan Tengah › Kota Palangkaraya · Triwulan 3 2026"),
    (("Jenis periode", "Tahun"), ("62.71", "2026"), "Kalimantan Tengah › Kota Palangkaraya · Tahun 2026 (10 dari 12 bulan)"),
    (("Jenis periode", "12 bulan terakhir"), ("62.71", "12m-2026-10"),
     "Kalimantan Tengah › Kota Palangkaraya · 12 bulan s.d. Oktober 2026"),
]


def stunting_counts(db, region: str, period: str) -> tuple[int, int]:
    """Stunted children / children measured for a region and a URL period, counted from the measurements
    by the domain rule: each child under five once, with the latest HAZ of the period that is not
    flagged, placed where it was last measured in the period; stunted below -2 SD."""
    start, months = _period_bounds(period)
    [(stunted, measured)] = frame(db, """
        with children as (
            select child_id, arg_max(village_code, measured_on) as village,
                   arg_max(haz, measured_on) filter (where haz is not null and not coalesce(flag_haz, false)) as haz
            from measurements
            where age_days between 0 and 1826
              and measured_on >= $start::date and measured_on < $start::date + to_months($months)
            group by child_id)
        select count_if(haz < -2), count(haz) from children where village = $region or village like $region || '.%'""",
                                  {"start": start, "months": months, "region": region}).itertuples(index=False)
    return int(stunted), int(measured)


def _period_bounds(period: str) -> tuple[str, int]:
    """The first day and the number of months of a period as the URL writes it (2026, 2026-Q3, 2026-08,
    12m-2026-10: the twelve months ending October 2026)."""
    if match := re.fullmatch(r"12m-(\d{4})-(\d{2})", period):
        index = int(match[1]) * 12 + int(match[2]) - 1 - 11
        return f"{index // 12}-{index % 12 + 1:02d}-01", 12
    if re.fullmatch(r"\d{4}", period):
        return f"{period}-01-01", 12
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", period):
        return f"{match[1]}-{3 * int(match[2]) - 2:02d}-01", 3
    return f"{period}-01", 1


def _choose(page, picker: str, option: str) -> None:
    """Pick ``option`` in the sidebar widget labelled ``picker`` (a radio or a select box) and wait for the run."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    label = page.locator('[data-testid="stWidgetLabel"]').get_by_text(picker, exact=True)
    radio = sidebar.locator('[data-testid="stRadio"]').filter(has=label)
    if radio.count():
        rerun_after(page, lambda: radio.get_by_text(option, exact=True).click())
        return
    sidebar.locator('[data-testid="stSelectbox"]').filter(has=label).click()
    page.keyboard.type(option)   # the list is virtual: only options near the current one exist until filtered
    rerun_after(page, lambda: page.get_by_role("option", name=option, exact=True).click())


def test_every_filter_change_takes_effect_on_the_first_click(page, tmp_path, demo_db, monkeypatch):
    use_test_users(monkeypatch)
    url, app = start_app(demo_db, tmp_path / "streamlit.log")
    stunting = page.locator('[data-testid="stCaptionContainer"]', has_text="balita").first
    try:
        open_logged_in(page, f"{url}/ringkasan?wilayah=36.04&periode=2025")
        page.get_by_text("Banten › Kabupaten Serang · Tahun 2025", exact=True).wait_for(timeout=TIMEOUT)
        wait_for_app_idle(page)
        for (picker, option), (region, period), place in STEPS:
            _choose(page, picker, option)
            shown = parse_qs(urlparse(page.url).query)
            assert (shown["wilayah"], shown["periode"]) == ([region], [period]), f"after {picker} -> {option}"
            expect(page.get_by_text(place, exact=True)).to_be_visible()
            n, d = stunting_counts(demo_db, region, period)
            assert d > 0, f"the demo has no child measured in {region} {period}: choose another step"
            expect(stunting).to_have_text(re.compile(rf"^{n} / {d} balita"))
            assert_no_streamlit_exception(page)
        screenshot(page, "filter_changed_palangka_raya")
    finally:
        app.terminate()
        app.wait(timeout=10)
