"""Rujukan (referral backlog): open referrals by age and category, overdue against the SLA, by
agency and village, opened vs closed per month, median days to close, and the overdue list."""

import streamlit as st

from dashboard import charts, palette
from dashboard import format as fmt
from dashboard.change import with_change
from dashboard.indicators import catalogue, label, referral_age_labels, text
from dashboard.ui import components as ui
from dashboard.ui.change import change_columns, readable_significance
from dashboard.ui.data import query
from dashboard.ui.filters import as_of, backlog_day, page_header
from dashboard.ui.maps import map_section
from dashboard.ui.text import language, t

f = page_header("page_referrals", "rujukan")
region, day, lang = f.region_code, as_of(f), language()
st.caption(t("backlog_caption").format(day=fmt.date(day, lang), source=text(catalogue()["referral"]["sla_source"], lang)))

totals = query("pages/ringkasan/referrals", region=region, as_of=day).iloc[0]
a, b, c = st.columns(3)
a.metric(t("open_referrals"), fmt.count(totals.open, lang), help=t("backlog_definition"))
b.metric(t("overdue"), fmt.count(totals.overdue, lang), help=t("overdue_help"))
c.metric(t("median_age_open"), f"{fmt.number(totals.median_open_days, lang)} {t('days')}" if totals.open else fmt.MISSING)

if not totals.open:
    ui.empty("no_open_referrals", day=fmt.date(day, lang))
else:
    left, right = st.columns(2)
    with left:
        by_bucket = query("pages/rujukan/by_age", region=region, as_of=day)
        by_bucket = by_bucket.assign(bucket=by_bucket.bucket_order.map(referral_age_labels(lang)),
                                     reason_category=by_bucket.reason_category.map(lambda c: label("reason", c, lang)))
        ui.chart(charts.counts_stacked(by_bucket, "bucket", "reason_category", t("open_by_age"),
                                       total_label=t("open_referrals").lower(), other=t("other_categories")),
                 f"backlog_age_{region}", "buckets")
    with right:
        by_agency = query("pages/rujukan/by_agency", region=region, as_of=day)
        by_agency = by_agency.assign(state=by_agency.overdue.map({True: t("overdue"), False: t("within_sla")}),
                                     destination_agency=by_agency.destination_agency.map(lambda a: label("agency", a, lang)))
        ui.chart(charts.counts_stacked(by_agency, "destination_agency", "state", t("open_by_agency"),
                                       orientation="h", total_label=t("open_referrals").lower(),
                                       colours={t("overdue"): palette.OVERDUE, t("within_sla"): palette.WITHIN_SLA}),
                 f"backlog_agency_{region}", "agency")
    by_village = query("pages/rujukan/by_village", region=region, as_of=day)
    # the share overdue against the end of the previous period (a backlog is a state: every period compares)
    before = query("pages/rujukan/by_village", region=region, as_of=backlog_day(f.period.start))
    by_village = by_village.merge(before[["village_code", "open", "overdue"]].rename(
        columns={"open": "previous_open", "overdue": "previous_overdue"}), on="village_code", how="left")
    by_village = readable_significance(with_change(by_village, "overdue", "open", "previous_overdue", "previous_open",
                                                   "overdue"), "overdue")
    st.subheader(t("by_village"))
    ui.table(by_village.assign(overdue_pct=100 * by_village.overdue / by_village.open)[
                 ["village_code", "desa", "kecamatan", "open", "overdue", "overdue_pct", "oldest_days", "previous_open",
                  "overdue_previous_pct", "overdue_change_pp", "overdue_significant"]],
             f"backlog_villages_{region}_{day}", "villages",
             {"village_code": t("code"), "desa": t("level_desa"), "kecamatan": t("level_kecamatan"),
              "open": t("open_referrals"), "overdue": t("overdue"), "oldest_days": t("oldest_days"),
              "overdue_pct": st.column_config.NumberColumn(f"{t('overdue')} %", format="%.1f"),
              "previous_open": f"{t('open_referrals')} · {t('previous_value')}",
              **change_columns("overdue", f"{t('overdue')}")})
    st.caption(f"{t('vs_previous')}: {t('as_of')} {fmt.date(backlog_day(f.period.start), lang)} · {t('change_help')}")
map_section(f, ["overdue_referrals", "open_referrals"], "referral_map")

flow = query("pages/rujukan/flow", region=region)
if not flow.empty:
    ui.chart(charts.flow_lines(flow, {"opened": t("opened"), "closed": t("closed"), "median": t("median_days")},
                               t("flow_title")), f"referral_flow_{region}", "flow")

if totals.open:
    st.subheader(t("overdue_list"))
    st.caption(t("internal_only"))
    backlog = query("pages/rujukan/backlog", region=region, as_of=day)
    overdue = backlog[backlog.overdue][["referral_id", "referred_on", "age_days", "sla_days", "status", "status_on",
                                        "reason_category", "destination_agency", "desa", "kecamatan", "posyandu_id"]]
    overdue = overdue.assign(status=overdue.status.map(lambda s: label("status", s, lang)),
                             reason_category=overdue.reason_category.map(lambda c: label("reason", c, lang)),
                             destination_agency=overdue.destination_agency.map(lambda a: label("agency", a, lang)))
    ui.table(overdue, f"overdue_referrals_{region}_{day}", "overdue",
             {"referral_id": t("referral_id"), "referred_on": t("referred_on"), "age_days": t("age_days"),
              "sla_days": t("sla_days_short"), "status": t("status"), "status_on": t("status_on"),
              "reason_category": t("category"), "destination_agency": t("agency"), "desa": t("level_desa"),
              "kecamatan": t("level_kecamatan"), "posyandu_id": t("posyandu_id")})
