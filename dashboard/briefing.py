"""The TP Posyandu (d/h Pokjanal) coordination-meeting briefing for one area and period: five slides
(headline indicators, priority areas, referral backlog, strata changes, data-quality warnings),
one idea each. Every number is a row of the same named queries the pages show (``queries/pages``,
``queries/checks``), each run once and shared between slides: this module only picks, words and
draws. No Streamlit here: the meeting page shows the slides and ``dashboard.briefing_pdf`` prints them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb
import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, indicators, palette
from dashboard import format as fmt
from dashboard.completeness import (comparable_months, comparable_previous, coverage_note, coverage_of, coverage_text,
                                    is_complete, period_label)
from dashboard.db import run_query
from dashboard.format import missing
from dashboard.i18n import phrase
from dashboard.indicators import catalogue, label as code_label, name as indicator_name, strata_rules, target_for, text
from dashboard.maps.figure import fixed_bands
from dashboard.periods import Period
from dashboard.regions import CHILD_LEVEL, ancestors, level_of
from dashboard.public.suppress import min_rate_denominator

FONT_SIZE = 15          # figures are read from a projector or on paper


@dataclass(frozen=True)
class Headline:
    """One number of a slide: its value, what it is made of (n/N), the same number one period before,
    and its target when the catalogue gives one."""

    label: str
    value: float | None
    percent: bool = True
    numerator: int | None = None
    denominator: int | None = None
    parts: tuple[str, str] = ("", "")      # names of numerator and denominator, e.g. ("D", "S")
    noun: str = ""                         # what the denominator counts, e.g. "balita"
    previous: float | None = None
    previous_label: str = ""               # "vs periode sebelumnya"
    target: float | None = None
    target_label: str = ""                 # "Target 2025"
    lower_is_better: bool = True
    small: bool = False                    # denominator below the catalogue's small-number limit

    @property
    def change(self) -> float | None:
        return None if missing(self.value) or missing(self.previous) else float(self.value) - float(self.previous)

    def value_text(self, lang: str) -> str:
        return fmt.percent(self.value, lang) if self.percent else fmt.number(self.value, lang)

    def detail_text(self, lang: str) -> str:
        """``28 / 83 balita`` or ``D 1.204 / S 1.530``; empty for a plain count."""
        if missing(self.denominator) or missing(self.value):
            return ""
        top, bottom = self.parts
        text = f"{top} {fmt.count(self.numerator, lang)} / {bottom} {fmt.count(self.denominator, lang)}".replace("  ", " ")
        return (text.strip() + (f" {self.noun}" if self.noun else "") + (" ⚠" if self.small else "")).strip()

    def change_text(self, lang: str, compared_with: bool = True) -> str:
        """``−1,2 pp vs periode sebelumnya`` (``compared_with=False``: ``−1,2 pp``); empty without a previous value.
        The minus is a real one: a page gives ``st.metric`` the direction itself (``ui.change_style``)."""
        if self.change is None:
            return ""
        text = fmt.points(self.change, lang) if self.percent else fmt.signed(self.change, lang)
        return f"{text} {self.previous_label}" if compared_with else text

    def target_text(self, lang: str) -> str:
        return "" if self.target is None else f"{self.target_label}: {fmt.percent(self.target, lang)}"


@dataclass(frozen=True)
class Table:
    """A small table of a slide; columns carry their display labels, ``digits`` the decimals of float columns."""

    title: str
    frame: pd.DataFrame
    digits: dict[str, int] = field(default_factory=dict)


@dataclass
class Slide:
    key: str
    title: str
    message: str
    headlines: list[Headline] = field(default_factory=list)
    figure: go.Figure | None = None
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    appendix: list[Table] = field(default_factory=list)    # long lists the PDF prints after the slides


@dataclass
class Briefing:
    region_code: str
    region_name: str
    place: str                    # "Banten › Kabupaten Serang"
    period: Period
    period_label: str
    as_of: date                   # the day the referral backlog is counted on
    data_until: date | None       # last day of the latest month with weighings or reports in the period
    lang: str
    slides: list[Slide]
    definitions: list[tuple[str, list[str]]]   # (heading, lines) from the catalogue


def build_briefing(cursor: duckdb.DuckDBPyConnection, region_code: str, period: Period, as_of: date,
                   lang: str) -> Briefing:
    """The five slides of the meeting for one area and period; ``as_of`` is the backlog day."""
    def ask(name: str, **params) -> pd.DataFrame:
        return run_query(cursor, name, params)

    level = level_of(region_code)
    path = [_region_name(ask, code) for code in ancestors(region_code)]
    last_year = date(period.start.year - 1, 1, 1)
    strata = ask("pages/strata/summary", region=region_code, year=period.year, previous_year=last_year).iloc[0]
    referrals = ask("pages/ringkasan/referrals", region=region_code, as_of=as_of).iloc[0]
    coverage, before, year, year_before = (coverage_of(cursor, region_code, p) for p in (
        period, period.previous, Period("year", period.year), Period("year", last_year)))
    strata = strata.copy()          # yearly rules need twelve months: not judged on part of a year
    if not is_complete(year):
        strata[["purnama_mandiri", "purnama_mandiri_pct"]] = None
    if not is_complete(year_before):
        strata["purnama_mandiri_pct_before"] = None
    notes = [coverage_note(coverage, lang)] + ([] if is_complete(year) else [
        f"{phrase('purnama_mandiri', lang)} {period.year.year}: {phrase('year_incomplete', lang)} ({coverage_text(year, lang)})"])

    slides = [
        _headline_slide(ask, region_code, period, as_of, strata, referrals, lang,
                        comparable_previous(period, coverage, before), comparable_months(period, coverage, before),
                        [n for n in notes if n]),
        _worst_areas_slide(ask, region_code, CHILD_LEVEL[level], period, lang),
        _referral_slide(ask, region_code, as_of, referrals, lang),
        _strata_slide(ask, region_code, CHILD_LEVEL[level] or "", period, strata, lang),
        _quality_slide(ask, region_code, CHILD_LEVEL[level] or "", period, lang),
    ]
    return Briefing(region_code, path[-1], " › ".join(path), period, period_label(period, coverage, lang), as_of,
                    _data_until(coverage), lang, slides, definitions(lang))


def _styled(figure: go.Figure, lang: str) -> go.Figure:
    """Larger type for a projector or paper, and decimals written the reader's way."""
    return charts.localised(figure, lang).update_layout(font=dict(size=FONT_SIZE))


def _region_name(ask, code: str) -> str:
    found = ask("pages/common/region", code=code)
    return code if found.empty else str(found.name.iloc[0])


def _data_until(coverage: dict | None) -> date | None:
    """The last day of the area's latest month with data in the period (its own, never another area's)."""
    if coverage is None or missing(coverage["last_data_month"]):
        return None
    return Period("month", pd.Timestamp(coverage["last_data_month"]).date()).end - timedelta(days=1)


def _small(denominator) -> bool:
    return missing(denominator) or int(denominator) < min_rate_denominator()


def _int(value) -> int | None:
    return None if missing(value) else int(value)


def _float(value) -> float | None:
    return None if missing(value) else float(value)


def _headline_slide(ask, region: str, period: Period, as_of: date, strata: pd.Series, referrals: pd.Series,
                    lang: str, previous: Period | None = None, months_before: tuple[date, date] | None = None,
                    notes: list[str] | None = None) -> Slide:
    """Stunting, wasting, underweight, D/S, N/D', Purnama + Mandiri and the backlog, against the
    period before (``previous``: none when either is partial; D/S and N/D' against ``months_before``,
    the same months) and the national target; ``notes`` say what a partial period covers."""
    vs_previous = phrase("vs_previous", lang)
    prevalence = ask("pages/ringkasan/prevalence", region=region, period_type=period.type, period_start=period.start,
                     previous_start=previous.start if previous else None).set_index("indicator")
    headlines = []
    for name in ("stunting", "wasting", "underweight"):
        spec, row = catalogue()["prevalence"][name], prevalence.loc[name]
        target = target_for(spec, period.start.year)
        headlines.append(Headline(
            indicator_name("prevalence", name, lang), _float(row.prevalence), True, _int(row.numerator), _int(row.denominator),
            noun=phrase("children", lang), previous=_float(row.previous_prevalence), previous_label=vs_previous,
            target=target[1] if target else None,
            target_label=phrase("target_year", lang).format(year=target[0]) if target else "",
            small=_small(row.denominator)))

    skdn = ask("pages/ringkasan/skdn", region=region, start=period.start, end=period.end).iloc[0]
    before = ask("pages/ringkasan/skdn", region=region, start=months_before[0] if months_before else period.start,
                 end=months_before[1] if months_before else period.start).iloc[0]
    ds, nd = catalogue()["ratio"]["ds"], catalogue()["ratio"]["nd"]
    headlines.append(Headline(indicator_name("ratio", "ds", lang), _float(skdn.ds_pct), True, _int(skdn.d), _int(skdn.s), ("D", "S"),
                              previous=_float(before.ds_pct), previous_label=vs_previous, target=float(ds["target"]),
                              target_label=phrase("target", lang), lower_is_better=False))
    headlines.append(Headline(indicator_name("ratio", "nd", lang), _float(skdn.nd_pct), True, _int(skdn.n), _int(skdn.d_both), ("N", "D'"),
                              previous=_float(before.nd_pct), previous_label=vs_previous, lower_is_better=False))

    headlines.append(_purnama_mandiri(strata, lang))
    before_day = min(period.start - timedelta(days=1), as_of)
    referrals_before = ask("pages/ringkasan/referrals", region=region, as_of=before_day).iloc[0]
    for key, column in (("open_referrals", "open"), ("overdue", "overdue")):
        headlines.append(Headline(phrase(key, lang), _int(referrals[column]), False,
                                  previous=_int(referrals_before[column]), previous_label=vs_previous))   # before the first referral: no comparison
    return Slide("headline", phrase("slide_headline", lang), _headline_message(headlines[0], lang), headlines,
                 notes=notes or [])


def _purnama_mandiri(strata: pd.Series, lang: str) -> Headline:
    """Posyandu Purnama + Mandiri this year against last year, from ``strata/summary``."""
    return Headline(phrase("purnama_mandiri", lang), _float(strata.purnama_mandiri_pct), True,
                    _int(strata.purnama_mandiri), _int(strata.posyandu), noun=phrase("posyandu", lang),
                    previous=_float(strata.purnama_mandiri_pct_before), previous_label=phrase("vs_last_year", lang),
                    lower_is_better=False)


def _headline_message(stunting: Headline, lang: str) -> str:
    if missing(stunting.value):
        return phrase("msg_no_measurements", lang)
    values = dict(name=stunting.label, value=stunting.value_text(lang), detail=stunting.detail_text(lang),
                  change=stunting.change_text(lang) or phrase("no_previous", lang))
    if stunting.target is None:
        return phrase("msg_headline", lang).format(**values)
    return phrase("msg_headline_target", lang).format(**values, target=stunting.target_label,
                                                      target_value=fmt.percent(stunting.target, lang))


def _worst_areas_slide(ask, region: str, child_level: str | None, period: Period, lang: str) -> Slide:
    """Areas one level down with the highest stunting prevalence (enough children only) and with the most
    stunted children."""
    title = phrase("slide_worst", lang)
    if child_level is None:
        return Slide("worst_areas", title, phrase("msg_no_areas", lang))
    settings, minimum = catalogue()["briefing"], min_rate_denominator()
    level = phrase(f"levels_{child_level}", lang)
    areas = ask("pages/stunting/areas", region=region, child_level=child_level, period_type=period.type,
                period_start=period.start)
    areas = areas[areas.children.fillna(0) > 0]
    if areas.empty:
        return Slide("worst_areas", title, phrase("msg_no_stunting_areas", lang).format(level=level))
    top = int(settings["worst_areas"])
    highest = areas[areas.children >= minimum].sort_values(["stunting_pct", "stunted"], ascending=False).head(top)
    most = areas[areas.stunted > 0].sort_values(["stunted", "stunting_pct"], ascending=False).head(top)

    tables, figure, headlines = [], None, []
    children = phrase("children", lang)
    for key, rows, percent in (("highest_in", highest, True), ("most_in", most, False)):
        if not rows.empty:
            first = rows.iloc[0]
            headlines.append(Headline(phrase(key, lang).format(area=first["name"]),
                                      float(first.stunting_pct) if percent else int(first.stunted), percent,
                                      int(first.stunted), int(first.children), noun=children,
                                      small=_small(first.children)))
    if not highest.empty:
        tables.append(Table(phrase("brief_highest_prevalence", lang).format(level=level, n=minimum),
                            _area_table(highest, lang)))
        stunting = catalogue()["prevalence"]["stunting"]
        target = target_for(stunting, period.start.year)
        figure = charts.ranked_bars(
            highest.rename(columns={"name": "label", "stunting_pct": "value", "stunted": "numerator",
                                    "children": "denominator"}),
            phrase("stunting_bars", lang), phrase("children", lang),
            reference=(target[1], charts.target_label(phrase("target_year", lang).format(year=target[0]), target[1], lang))
            if target else None)
        _styled(figure, lang)
    if not most.empty:
        tables.append(Table(phrase("most_stunted", lang), _area_table(most, lang)))

    most_text = dict(most=most.name.iloc[0], count=fmt.count(most.stunted.iloc[0], lang)) if not most.empty else \
        dict(most=fmt.MISSING, count=fmt.count(0, lang))
    if highest.empty:
        message = phrase("msg_worst_few", lang).format(level=level, n=minimum, **most_text)
    else:
        first = highest.iloc[0]
        message = phrase("msg_worst", lang).format(
            area=first["name"], value=fmt.percent(first.stunting_pct, lang),
            detail=f"{fmt.count(first.stunted, lang)} / {fmt.count(first.children, lang)}", **most_text)
    return Slide("worst_areas", title, message, headlines, figure, tables, [phrase("few_note", lang).format(n=minimum)])


def _area_table(areas: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        phrase("col_area", lang): areas.name.to_numpy(),
        phrase("col_stunting", lang): areas.stunting_pct.round(1).to_numpy(),
        phrase("col_stunted", lang): areas.stunted.astype("Int64").to_numpy(),
        phrase("col_measured", lang): areas.children.astype("Int64").to_numpy(),
        phrase("col_few", lang): ["⚠" if _small(n) else "" for n in areas.children],
    })


def _referral_slide(ask, region: str, as_of: date, referrals: pd.Series, lang: str) -> Slide:
    """Open referrals by destination agency, overdue against the per-category SLA, and the overdue list (ids only)."""
    title, day = phrase("slide_referrals", lang), fmt.date(as_of, lang)
    headlines = [
        Headline(phrase("open_referrals", lang), _int(referrals.open), False),
        Headline(phrase("overdue", lang), _int(referrals.overdue), False),
        Headline(phrase("median_age", lang), _float(referrals.median_open_days), False),
    ]
    if not referrals.open:
        return Slide("referrals", title, phrase("msg_no_backlog", lang).format(day=day), headlines,
                     notes=[phrase("internal_only", lang)])
    states = {True: phrase("overdue", lang), False: phrase("within_sla", lang)}
    by_agency = ask("pages/rujukan/by_agency", region=region, as_of=as_of)      # ordered by count, the largest first
    figure = charts.counts_stacked(
        by_agency.assign(state=by_agency.overdue.map(states),
                         destination_agency=[code_label("agency", a, lang) for a in by_agency.destination_agency]),
        "destination_agency", "state", phrase("open_by_agency", lang), orientation="h",
        total_label=phrase("open_referrals", lang).lower(),
        colours={states[True]: palette.OVERDUE, states[False]: palette.WITHIN_SLA})
    _styled(figure, lang)
    worst = by_agency[by_agency.overdue]
    if worst.empty:
        message = phrase("msg_referrals_none_overdue", lang).format(open=fmt.count(referrals.open, lang), day=day)
    else:
        message = phrase("msg_referrals", lang).format(open=fmt.count(referrals.open, lang), day=day,
                                                       overdue=fmt.count(referrals.overdue, lang),
                                                       agency=code_label("agency", worst.destination_agency.iloc[0], lang),
                                                       count=fmt.count(worst["count"].iloc[0], lang))
    backlog = ask("pages/rujukan/backlog", region=region, as_of=as_of)
    overdue = backlog[backlog.overdue]
    listed = Table(phrase("overdue_list", lang), pd.DataFrame({
        phrase("col_referral", lang): overdue.referral_id.to_numpy(),
        phrase("col_category", lang): [code_label("reason", c, lang) for c in overdue.reason_category],
        phrase("col_agency", lang): [code_label("agency", a, lang) for a in overdue.destination_agency],
        phrase("col_village", lang): overdue.desa.to_numpy(),
        phrase("col_age", lang): overdue.age_days.astype("Int64").to_numpy(),
        phrase("col_sla", lang): overdue.sla_days.astype("Int64").to_numpy(),
    }))
    agenda = [_agenda_by_agency(by_agency, lang),
              _agenda_by_village(ask("pages/rujukan/by_village", region=region, as_of=as_of), lang)]
    return Slide("referrals", title, message, headlines, figure, agenda, [phrase("internal_only", lang)],
                 appendix=[listed])


def _agenda_by_agency(by_agency: pd.DataFrame, lang: str) -> Table:
    """The agenda by receiving agency: its overdue rows of ``rujukan/by_agency`` (count and the oldest
    one's age), the agency with most overdue first."""
    late = by_agency[by_agency.overdue].sort_values(["count", "oldest_days"], ascending=False)
    return Table(phrase("agenda_by_agency", lang), pd.DataFrame({
        phrase("col_agency", lang): [code_label("agency", a, lang) for a in late.destination_agency],
        phrase("col_overdue_count", lang): late["count"].astype("Int64").to_numpy(),
        phrase("col_oldest_overdue", lang): late.oldest_days.astype("Int64").to_numpy(),
    }))


def _agenda_by_village(by_village: pd.DataFrame, lang: str) -> Table:
    """The agenda by village (``rujukan/by_village``, most overdue first): villages with an overdue referral."""
    late = by_village[by_village.overdue > 0]
    return Table(phrase("agenda_by_village", lang), pd.DataFrame({
        phrase("col_village", lang): late.desa.to_numpy(),
        phrase("level_kecamatan", lang): late.kecamatan.to_numpy(),
        phrase("col_overdue_count", lang): late.overdue.astype("Int64").to_numpy(),
        phrase("col_open_count", lang): late.open.astype("Int64").to_numpy(),
        phrase("col_oldest_open", lang): late.oldest_days.astype("Int64").to_numpy(),
    }))


def _strata_slide(ask, region: str, child_level: str, period: Period, strata: pd.Series, lang: str) -> Slide:
    """Computed strata this year against the year before, per area, and how many posyandu moved up or down."""
    year, before = period.year, date(period.start.year - 1, 1, 1)
    labels = dict(year=year.year, before=before.year)
    title = phrase("slide_strata", lang)
    if not strata.posyandu and not strata.posyandu_before:
        return Slide("strata", title, phrase("msg_no_strata", lang).format(**labels))
    headlines = [
        _purnama_mandiri(strata, lang),
        Headline(phrase("moved_up", lang), int(strata.moved_up), False, lower_is_better=False),
        Headline(phrase("moved_down", lang), int(strata.moved_down), False),
    ]
    message = phrase("msg_strata", lang).format(
        **labels, good=fmt.count(strata.purnama_mandiri, lang), total=fmt.count(strata.posyandu, lang),
        good_before=fmt.count(strata.purnama_mandiri_before, lang), total_before=fmt.count(strata.posyandu_before, lang),
        up=fmt.count(strata.moved_up, lang), down=fmt.count(strata.moved_down, lang))

    trend = ask("pages/strata/trend", region=region)
    trend = trend[pd.to_datetime(trend.year).dt.year.isin([before.year, year.year])]
    figure, notes = None, [phrase("brief_strata_note", lang)]
    if not trend.empty:
        trend = trend.assign(label=pd.to_datetime(trend.year).dt.year.astype(str))
        names = {s: phrase(f"strata_{s}", lang) for s in catalogue()["strata"]["levels"]}      # in rule order
        figure = charts.strata_bars(trend, "label", names, phrase("strata_years", lang).format(**labels), orientation="v")
        _styled(figure, lang)
        for row in trend.drop_duplicates("label").itertuples():
            if int(row.months_reported) < 12:
                notes.append(phrase("brief_partial_year", lang).format(year=row.label, months=int(row.months_reported),
                                                                       rule=catalogue()["strata"]["min_months_opened"]))
    changes = ask("pages/briefing/strata_changes", region=region, child_level=child_level, year=year,
                  previous_year=before)
    table = Table(phrase("brief_strata_by_area", lang), pd.DataFrame({
        phrase("col_area", lang): changes.name.to_numpy(),
        phrase("col_posyandu", lang): changes.posyandu.to_numpy(),
        phrase("col_good_before", lang).format(year=before.year): changes.purnama_mandiri_before.to_numpy(),
        phrase("col_good", lang).format(year=year.year): changes.purnama_mandiri.to_numpy(),
        phrase("col_up", lang): changes.moved_up.to_numpy(),
        phrase("col_down", lang): changes.moved_down.to_numpy(),
    }))
    return Slide("strata", title, message, headlines, figure, [table], notes)


def _quality_slide(ask, region: str, child_level: str, period: Period, lang: str) -> Slide:
    """The quality checks (``checks/quality_warnings``) of the area and of each area one level down in the
    period's year, beyond the catalogue's limits."""
    year = period.year
    measured = ask("pages/kualitas/areas", region=region, child_level="", year=year).iloc[0]   # the area as a whole
    warnings = ask("checks/quality_warnings", region=region, child_level=child_level, year=year)
    whole = f" ({phrase('whole_area', lang)})"
    warnings = warnings.assign(name=warnings.name.where(warnings.code != region, warnings.name + whole))
    settings, minimum = catalogue()["briefing"], min_rate_denominator()
    areas_warned = 0 if warnings.empty else int(warnings.areas_warned.iloc[0])
    headlines = [
        Headline(phrase("warnings", lang), len(warnings), False),
        Headline(phrase("areas_warned", lang), areas_warned, False),
        Headline(phrase("flagged_share", lang), _float(measured.flagged_pct), True, _int(measured.flagged),
                 _int(measured.measurements)),
        Headline(phrase("completeness", lang), _float(measured.completeness_pct), True, _int(measured.reports),
                 None if missing(measured.posyandu) or missing(measured.months)
                 else int(measured.posyandu) * int(measured.months), lower_is_better=False),
    ]
    title = phrase("slide_quality", lang)
    notes = [phrase("brief_quality_note", lang).format(n=minimum, records=settings["min_digit_records"])]
    if warnings.empty:
        return Slide("quality", title, phrase("msg_no_warnings", lang).format(year=year.year), headlines, notes=notes)
    commonest = warnings.loc[warnings.areas_with_check.idxmax()]
    message = phrase("msg_quality", lang).format(warnings=fmt.count(len(warnings), lang),
                                                 areas=fmt.count(areas_warned, lang), year=year.year,
                                                 check=phrase(f"check_{commonest.check}", lang),
                                                 count=fmt.count(commonest.areas_with_check, lang))
    table = Table(phrase("slide_quality", lang), pd.DataFrame({
        phrase("col_area", lang): warnings.name.to_numpy(),
        phrase("col_check", lang): [phrase(f"check_{c}", lang) for c in warnings.check],
        phrase("col_value", lang): warnings.value.round(2).to_numpy(),
        phrase("col_limit", lang): [limit_text(c, lang) for c in warnings.check],
        phrase("col_records", lang): warnings.records.astype("Int64").to_numpy(),
    }), digits={phrase("col_value", lang): 2})
    return Slide("quality", title, message, headlines, tables=[table], notes=notes)


def limit_text(check: str, lang: str) -> str:
    """The catalogue's limit of a quality check as people read it (``≤ 1,0%``)."""
    settings = catalogue()["briefing"]
    low, high = settings["haz_sd_range"]
    return {
        "flagged": f"≤ {fmt.percent(settings['max_flagged_pct'], lang)}",
        "method": f"≤ {fmt.percent(settings['max_method_mismatch_pct'], lang)}",
        "haz_sd": f"{fmt.number(low, lang, 2)}–{fmt.number(high, lang, 2)}",
        "dps_height": f"< {fmt.number(settings['max_digit_preference'], lang)}",
        "dps_weight": f"< {fmt.number(settings['max_digit_preference'], lang)}",
        "completeness": f"≥ {fmt.percent(settings['min_completeness_pct'], lang, 0)}",
    }[check]


def definitions(lang: str) -> list[tuple[str, list[str]]]:
    """The definitions page: every indicator of the briefing as the catalogue defines it."""
    spec = catalogue()
    nutrition = []
    for name in ("stunting", "wasting", "underweight"):
        nutrition += [indicator_name("prevalence", name, lang)] + [
            f"  {line}" for line in indicators.definition_lines("prevalence", name, lang)]
    ratios = []
    for name in ("ds", "nd"):
        ratios += [indicator_name("ratio", name, lang)] + [
            f"  {line}" for line in indicators.definition_lines("ratio", name, lang)]
    source = phrase("source", lang)
    strata = [phrase("strata_rule", lang)] + [f"  {rule}" for rule in strata_rules(lang).values()]
    strata.append(f"  {source}: {text(spec['strata']['source'], lang)}")
    referral = spec["referral"]
    days = phrase("days", lang)
    backlog = [phrase("backlog_rule", lang), phrase("sla_days", lang) + ": " + ", ".join(
        f"{code_label('reason', category, lang)} {fmt.count(n, lang)} {days}" for category, n in referral["sla_days"].items())
        + "; " + phrase("sla_default", lang).format(days=referral["default_sla_days"]),
        f"  {source}: {text(referral['sla_source'], lang)}"]
    stunting = spec["prevalence"]["stunting"]

    bands = list(fixed_bands(stunting["bands"], lang).labels)
    bands.append(f"  {source}: {text(stunting['bands_source'], lang)}")
    settings = spec["briefing"]
    quality = [f"{phrase(f'check_{check}', lang)}: {limit_text(check, lang)}"
               for check in ("flagged", "haz_sd", "dps_height", "dps_weight", "completeness", "method")]
    quality.append(phrase("brief_quality_note", lang).format(n=min_rate_denominator(),
                                                       records=settings["min_digit_records"]))
    small = [phrase("few_note", lang).format(n=min_rate_denominator())]
    return [(phrase("def_prevalence", lang), nutrition), (phrase("def_ratios", lang), ratios),
            (phrase("def_strata", lang), strata), (phrase("def_backlog", lang), backlog),
            (phrase("def_bands", lang), bands), (phrase("def_quality", lang), quality),
            (phrase("def_small", lang), small)]
