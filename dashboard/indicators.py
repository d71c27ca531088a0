"""The indicator catalogue (``indicators.toml``) and the reference tables derived from it.

Thresholds are written once, in the TOML; SQL marts read them from ``ref_*`` tables built here,
pages read labels and definitions from ``catalogue()``.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

CATALOGUE_PATH = Path(__file__).with_name("indicators.toml")


@lru_cache(maxsize=1)
def catalogue() -> dict:
    with open(CATALOGUE_PATH, "rb") as handle:
        return tomllib.load(handle)


def target_for(spec: dict, year: int) -> tuple[int, float] | None:
    """An indicator's national target for a period of ``year``: that year's, else the next year's that has
    one, else the latest (year, value); None when the catalogue sets none."""
    targets = {int(y): float(v) for y, v in spec.get("targets", {}).items()}
    if not targets:
        return None
    chosen = min((y for y in targets if y >= year), default=max(targets))
    return chosen, targets[chosen]


def prevalence_indicators() -> pd.DataFrame:
    """One row per prevalence indicator: the z-score it reads, the comparison and the cut-off."""
    rows = [
        {"indicator": name, "zscore": spec["zscore"], "comparison": spec["comparison"],
         "cutoff": float(spec["cutoff"]), "oedema_counts": bool(spec.get("oedema_counts", False))}
        for name, spec in catalogue()["prevalence"].items()
    ]
    return pd.DataFrame(rows)


def kbm_table(max_months: int = 60) -> pd.DataFrame:
    """Minimum monthly weight gain in grams by age in completed months (1..max_months)."""
    spec = catalogue()["kbm"]
    by_age = {int(k): int(v) for k, v in spec["grams_by_age_month"].items()}
    rows = [(m, by_age.get(m, spec["grams_from_11_months"] if m >= 11 else None)) for m in range(1, max_months + 1)]
    return pd.DataFrame(rows, columns=["age_months", "min_gain_g"])


def growth_settings() -> pd.DataFrame:
    spec = catalogue()["growth"]
    return pd.DataFrame([{"bgm_waz_below": spec["bgm_waz_below"], "days_per_month": spec["days_per_month"],
                          "max_age_days": spec["max_age_days"]}])


def strata_settings() -> pd.DataFrame:
    """The strata thresholds and the Posyandu Aktif rule as one row each, for the strata mart."""
    strata = {k: v for k, v in catalogue()["strata"].items() if not isinstance(v, (dict, list, str))}
    aktif = {f"aktif_{k}": v for k, v in catalogue()["posyandu_aktif"].items() if not isinstance(v, str)}
    return pd.DataFrame([{**strata, **aktif}])


def referral_sla() -> pd.DataFrame:
    """SLA in days per reason category (the catalogue's default for categories it does not name)."""
    from dashboard.ingest.vocab import REASON_CATEGORIES

    spec = catalogue()["referral"]
    return pd.DataFrame([(c, int(spec["sla_days"].get(c, spec["default_sla_days"]))) for c in REASON_CATEGORIES],
                        columns=["reason_category", "sla_days"])


def referral_age_buckets() -> pd.DataFrame:
    """The backlog's age buckets with their Indonesian labels (pages label them in the reader's language
    with ``referral_age_labels``)."""
    labels = referral_age_labels("id")
    return pd.DataFrame([(i, int(lo), int(hi), labels[i]) for i, (lo, hi) in
                         enumerate(catalogue()["referral"]["age_buckets"])],
                        columns=["bucket_order", "min_days", "max_days", "bucket"])


def referral_statuses() -> pd.DataFrame:
    """Each status with its life-cycle rank (ties on one day go to the later step) and whether it closes."""
    from dashboard.ingest.vocab import CLOSED_STATUSES, STATUS_ORDER

    return pd.DataFrame([(s, i, s in CLOSED_STATUSES) for i, s in enumerate(STATUS_ORDER)],
                        columns=["status", "status_rank", "closed"])


def load_reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the ``ref_*`` tables the marts and page queries read, from the catalogue."""
    for name, frame in (("ref_prevalence_indicators", prevalence_indicators()), ("ref_kbm", kbm_table()),
                        ("ref_growth", growth_settings()), ("ref_strata", strata_settings()),
                        ("ref_referral_sla", referral_sla()), ("ref_referral_age", referral_age_buckets()),
                        ("ref_referral_status", referral_statuses()), ("ref_strata_levels", strata_levels()),
                        ("ref_strata_rules", strata_rule_order()), ("ref_limits", limits())):
        con.register("ref_frame", frame)
        con.execute(f"create or replace table {name} as select * from ref_frame")
        con.unregister("ref_frame")
    for name, frame in spm_reference_tables().items():
        con.register("ref_frame", frame)
        con.execute(f"create or replace table {name} as select * from ref_frame")
        con.unregister("ref_frame")


def text(value, lang: str) -> str:
    """A catalogue text in ``lang``: an inline table ``{ id = "...", en = "..." }`` gives its language (Indonesian
    when it has no English); a plain string (a citation, a proper name) reads the same in both."""
    if isinstance(value, dict):
        return value.get(lang) or value["id"]
    return str(value)


def name(kind: str, code: str, lang: str) -> str:
    """The name of an indicator of the catalogue (``kind``: prevalence, ratio; or maps.indicators)."""
    spec = catalogue()
    for part in kind.split("."):
        spec = spec[part]
    spec = spec[code]
    if "label" in spec:                         # a map indicator named after a catalogue indicator
        return name(*spec["label"].split("."), lang)
    return text(spec["name"], lang)


def label(kind: str, code: str, lang: str) -> str:
    """The human name of a stored code (``kind``: agency, reason, status, field) in ``lang``; an
    unknown code reads as itself so nothing disappears from a table."""
    names = catalogue().get("labels", {}).get(kind, {}).get(code)
    return text(names, lang) if names else str(code)


def labels(kind: str, lang: str) -> dict[str, str]:
    """Every code of ``kind`` with its human name in ``lang``, in catalogue order."""
    return {code: text(names, lang) for code, names in catalogue().get("labels", {}).get(kind, {}).items()}


def _threshold(template: str, value: float, lang: str) -> str:
    from dashboard import format as fmt

    digits = 0 if float(value).is_integer() else 1
    return template.format(value=fmt.number(value, lang, digits), percent=fmt.percent(value, lang, digits))


def strata_rules(lang: str) -> dict[str, str]:
    """Each strata rule (by its key in ``ref_strata_rules`` and the strata queries' ``failed_rules``) written
    from its threshold: "Buka ≥ 8 bulan/tahun"."""
    spec = catalogue()["strata"]
    return {rule: _threshold(text(item["text"], lang), spec[item["setting"]], lang)
            for rule, item in spec["rules"].items()}


def referral_age_labels(lang: str) -> dict[int, str]:
    """The backlog's age buckets by their order, written from their bounds: "8–30 hari", "> 90 hari"."""
    spec = catalogue()["referral"]
    buckets = spec["age_buckets"]
    return {i: text(spec["age_bucket_open"], lang).format(after=buckets[i - 1][1]) if i == len(buckets) - 1 and i
            else text(spec["age_bucket_label"], lang).format(first=first, last=last)
            for i, (first, last) in enumerate(buckets)}


def pkk_indicators(lang: str) -> dict[str, str]:
    """Each PKK indicator (the column the PKK queries name after it) with its name in ``lang``."""
    return {key: text(item["name"], lang) for key, item in catalogue()["pkk"]["indicators"].items()}


def definition_lines(kind: str, code: str, lang: str) -> list[str]:
    """An indicator's definition for the definitions panel and the briefing: numerator, denominator,
    cut-off, bands, targets and source, each a line in ``lang``."""
    from dashboard import format as fmt
    from dashboard.i18n import phrase

    spec = catalogue()[kind][code]
    lines = [f"{phrase(key, lang)}: {text(spec[key], lang)}" for key in ("numerator", "denominator") if key in spec]
    if "cutoff" in spec:
        sign = "<" if spec["comparison"] == "below" else ">"
        lines.append(f"{phrase('threshold', lang)}: {spec['zscore'].upper()} {sign} "
                     f"{fmt.signed(spec['cutoff'], lang)} SD")
    if bands := spec.get("bands"):
        digits = lambda v: 0 if float(v).is_integer() else 1          # noqa: E731
        lines.append(f"{phrase('bands', lang)} ({text(spec['bands_source'], lang)}): " + "; ".join(
            f"{fmt.number(b['low'], lang, digits(b['low']))}–<{fmt.percent(b['high'], lang, digits(b['high']))} "
            f"{text(b['name'], lang)}" for b in bands))
    if "targets" in spec:
        lines.append(f"{phrase('target', lang)}: " + ", ".join(f"{fmt.percent(v, lang)} ({y})" for y, v in
                                                               spec["targets"].items())
                     + f" · {text(spec.get('target_source', ''), lang)}")
    if "target" in spec:
        lines.append(f"{phrase('target', lang)}: ≥ {fmt.percent(spec['target'], lang, 0)}")
    lines.append(f"{phrase('source', lang)}: {text(spec.get('source', ''), lang)}")
    return lines


def strata_levels() -> pd.DataFrame:
    """The strata levels in the catalogue's order (rank 1 = the lowest), for sorting and comparing years."""
    return pd.DataFrame([(level, rank) for rank, level in enumerate(catalogue()["strata"]["levels"], 1)],
                        columns=["level", "strata_rank"])


def strata_rule_order() -> pd.DataFrame:
    """The strata rules (``ok_<rule>`` in the strata mart) in the catalogue's order."""
    return pd.DataFrame(list(enumerate(catalogue()["strata"]["rules"])), columns=["rule_order", "rule"])


def limits() -> pd.DataFrame:
    """One row of the limits the checks and the backlog read: the small-number limit, the data-quality
    limits of ``[briefing]`` and the default referral SLA."""
    spec = catalogue()
    quality = {k: v for k, v in spec["briefing"].items() if k not in ("worst_areas", "haz_sd_range")}
    low, high = spec["briefing"]["haz_sd_range"]
    return pd.DataFrame([{"min_denominator": int(spec["small_numbers"]["min_denominator"]), **quality,
                          "haz_sd_low": float(low), "haz_sd_high": float(high),
                          "default_sla_days": int(spec["referral"]["default_sla_days"]),
                          "usual_window_months": int(spec["completeness"]["usual_window_months"]),
                          "min_reporting_pct": float(spec["completeness"]["min_reporting_pct"])}])


def survey_figures(region_code: str, lang: str) -> pd.DataFrame:
    """The published survey stunting figures of one area (catalogue ``[survey]``), newest first: survey,
    year, prevalence, source and whether it is provisional; empty when none is known."""
    rows = [{"survey": text(spec["name"], lang), "year": int(spec["year"]),
             "stunting_pct": float(spec["stunting"][region_code]), "source": text(spec["source"], lang),
             "provisional": bool(spec["provisional"])}
            for spec in catalogue().get("survey", {}).values() if region_code in spec["stunting"]]
    return pd.DataFrame(rows, columns=["survey", "year", "stunting_pct", "source", "provisional"]).sort_values(
        "year", ascending=False, ignore_index=True)


def spm_reference_tables() -> dict[str, pd.DataFrame]:
    """The six SPM fields in order, the field of each referral reason, the registration deadline and the
    activity rule (``ref_spm_fields``, ``ref_reason_field``, ``ref_spm``), and the weights of the P2WKSS candidate
    list's inputs (``ref_p2wkss_mix``, one row)."""
    from dashboard.ingest.vocab import REASON_FIELD

    spec = catalogue()["spm"]
    fields = pd.DataFrame([(f, rank) for rank, f in enumerate(spec["fields"], 1)], columns=["field", "field_rank"])
    reasons = pd.DataFrame(list(REASON_FIELD.items()), columns=["reason_category", "field"])
    settings_row = pd.DataFrame([{"registration_deadline": spec["registration_deadline"],
                                  "active_min_activities": int(spec["active_min_activities"])}])
    mix = pd.DataFrame([{name: float(part["weight"]) for name, part in catalogue()["p2wkss"]["candidates"].items()}])
    return {"ref_spm_fields": fields, "ref_reason_field": reasons, "ref_spm": settings_row, "ref_p2wkss_mix": mix}
