"""Posyandu 6 SPM: the posyandu as a six-field village institution (Permendagri 13/2024). Per area, the
Kemendagri registration and its deadline gap beside Posyandu Aktif and strata; per field, posyandu serving
and active, cadres, and the referrals of the field with the agency that owns the backlog; which posyandu
are not registered or not active in a field, and where. Then the programme villages (P2WKSS, Posyandra,
lokus stunting) against their kab/kota and before/after, the P2WKSS candidate list and the assessment
(scores typed here, kept in ``dashboard.p2wkss.store``), its ranking and result sheet."""

import pandas as pd
import streamlit as st

from dashboard import format as fmt
from dashboard.indicators import catalogue, labels
from dashboard.p2wkss.ranking import ranking, result_sheet
from dashboard.p2wkss.store import AssessmentStore, ScoreError
from dashboard.ui import components as ui
from dashboard.ui.access import current_user
from dashboard.ui.data import query
from dashboard.ui.filters import as_of, page_header
from dashboard.ui.maps import map_section
from dashboard.ui.text import language, t

f = page_header("page_spm", "spm")
region, period, day = f.region_code, f.period, as_of(f)
spec = catalogue()["spm"]
deadline = spec["registration_deadline"]
field_names, agency_names = labels("field", language()), labels("agency", language())
st.caption(t("spm_active_note").format(min=spec["active_min_activities"], source=spec["source"][language()]))


def number(value) -> str:
    return fmt.count(value, language())


def field_list(codes) -> str:
    return ", ".join(field_names.get(c, c) for c in codes)


areas = query("pages/spm/registration", region=region, child_level=f.child_level or "", year=period.start.replace(month=1))
if areas.empty:
    ui.empty("spm_no_register")
    st.stop()

total = areas[["posyandu", "registered", "not_registered", "registered_late", "posyandu_aktif", "purnama_mandiri"]].sum()
deadline_text = deadline.strftime("%d-%m-%Y")
a, b, c, d = st.columns(4)
a.metric(t("posyandu_count"), number(total.posyandu))
b.metric(t("spm_registered"), number(total.registered), help=fmt.percent(100 * total.registered / total.posyandu, language()))
c.metric(t("spm_not_registered"), number(total.not_registered),
         help=t("spm_not_registered_help").format(deadline=deadline_text))
d.metric(t("spm_registered_late"), number(total.registered_late))

st.subheader(t("spm_registration_by_area"))
ui.table(areas.drop(columns=["code"]), f"spm_registration_{region}_{period.code}", "registration",
         {"name": t("area"), "posyandu": t("posyandu_count"), "registered": t("spm_registered"),
          "not_registered": t("spm_not_registered"), "registered_late": t("spm_registered_late"),
          "sk_present": t("spm_sk_present"), "registered_pct": "% " + t("spm_registered").lower(),
          "posyandu_reporting": t("spm_posyandu_reporting"), "posyandu_aktif": t("posyandu_aktif"),
          "purnama_mandiri": t("strata_purnama") + " + " + t("strata_mandiri")})

map_section(f, ["registered", "posyandu_aktif", "purnama_mandiri", "open_referrals"], "spm_map")

st.subheader(t("spm_fields"))
fields = query("pages/spm/fields", region=region, start=period.start, end=period.end, as_of=day)
ui.table(fields.assign(field=fields.field.map(field_names)), f"spm_fields_{region}_{period.code}", "fields",
         {"field": t("spm_field"), "posyandu": t("posyandu_count"), "serving": t("spm_serving"),
          "active": t("spm_active"), "not_active": t("spm_not_active"), "cadres": t("spm_cadres"),
          "trained": t("spm_trained"), "activities": t("spm_activities"), "people_reached": t("spm_people_reached"),
          "referred": t("spm_referred"), "open": t("spm_open"), "overdue": t("spm_overdue")})

field = st.selectbox(t("spm_pick_field"), spec["fields"], format_func=field_names.get, key="spm_field")
posyandu = query("pages/spm/posyandu", region=region, start=period.start, end=period.end)
left, right = st.columns(2)
with left:
    st.markdown(f"**{t('spm_where_not_active').format(field=field_names[field])}**")
    where = query("pages/spm/field_areas", region=region, child_level=f.child_level or "", start=period.start,
                  end=period.end)
    where = where[where.field == field].drop(columns=["code", "field"])
    ui.table(where, f"spm_where_{field}_{region}_{period.code}", "where",
             {"name": t("area"), "posyandu": t("posyandu_count"), "serving": t("spm_serving"),
              "active": t("spm_active"), "not_active": t("spm_not_active"), "active_pct": t("spm_active_pct")})
with right:
    st.markdown(f"**{t('spm_list_not_active').format(field=field_names[field])}**")
    idle = posyandu[posyandu.inactive_fields.map(lambda codes: field in list(codes))]
    if idle.empty:
        ui.empty("spm_all_active")
    else:
        ui.table(idle[["posyandu", "desa", "kecamatan", "cadres"]], f"spm_not_active_{field}_{region}_{period.code}",
                 "not_active", {"posyandu": "Posyandu", "desa": t("level_desa"), "kecamatan": t("level_kecamatan"),
                                "cadres": t("spm_cadres")})

st.markdown(f"**{t('spm_list_not_registered')}**")
unregistered = posyandu[~posyandu.registered.astype(bool)]
if unregistered.empty:
    ui.empty("spm_all_registered")
else:
    yes_no = {True: t("spm_yes"), False: t("spm_no")}
    shown = unregistered.assign(sk_present=unregistered.sk_present.map(yes_no).fillna("–"),
                                served_fields=unregistered.served_fields.map(field_list))
    ui.table(shown[["posyandu", "desa", "kecamatan", "sk_present", "served_fields"]],
             f"spm_not_registered_{region}", "not_registered",
             {"posyandu": "Posyandu", "desa": t("level_desa"), "kecamatan": t("level_kecamatan"),
              "sk_present": t("spm_sk_present"), "served_fields": t("spm_served_fields")})

st.subheader(t("spm_referrals_by_field"))
referrals = query("pages/spm/referrals", region=region, start=period.start, as_of=day)
if referrals.empty:
    ui.empty("spm_no_referrals")
else:
    shown = referrals.assign(field=referrals.field.map(field_names),
                             destination_agency=referrals.destination_agency.map(lambda a: agency_names.get(a, a)))
    ui.table(shown, f"spm_referrals_{region}_{period.code}", "referrals",
             {"field": t("spm_field"), "destination_agency": t("spm_agency"), "referred": t("spm_referred"),
              "open": t("spm_open"), "overdue": t("spm_overdue")})

with st.expander(t("posyandu_list")):
    listed = posyandu.assign(served_fields=posyandu.served_fields.map(field_list),
                             inactive_fields=posyandu.inactive_fields.map(field_list),
                             registered=posyandu.registered.map({True: t("spm_yes"), False: t("spm_no")}),
                             registered_on=pd.to_datetime(posyandu.registered_on).dt.strftime("%d-%m-%Y"))
    ui.table(listed[["posyandu", "desa", "kecamatan", "registered", "register_no", "registered_on", "served_fields",
                     "inactive_fields", "cadres", "trained"]], f"spm_posyandu_{region}_{period.code}", "posyandu",
             {"posyandu": "Posyandu", "desa": t("level_desa"), "kecamatan": t("level_kecamatan"),
              "registered": t("spm_registered"), "register_no": t("spm_register_no"),
              "registered_on": t("spm_registered_on"), "served_fields": t("spm_served_fields"),
              "inactive_fields": t("spm_inactive_fields"), "cadres": t("spm_cadres"), "trained": t("spm_trained")})

st.subheader(t("spm_programmes"))
programmes = query("pages/spm/programme_villages", region=region, year=period.start.replace(month=1))
if programmes.empty:
    ui.empty("spm_no_programmes")
else:
    st.caption(t("spm_programmes_note"))
    programme_names = labels("programme", language())
    shown = programmes.assign(programme=programmes.programme.map(programme_names),
                              started_on=pd.to_datetime(programmes.started_on).dt.strftime("%d-%m-%Y"))
    ui.table(shown.drop(columns=["village_code"]), f"spm_programmes_{region}_{period.start.year}", "programmes",
             {"desa": t("level_desa"), "kabkota": t("level_kabkota"), "programme": t("spm_programme"),
              "programme_year": t("spm_programme_year"), "started_on": t("spm_started_on"),
              "before_year": t("spm_before_year"), "before_pct": t("spm_before_pct"),
              "before_children": t("spm_children_before"), "now_pct": t("spm_now_pct"),
              "now_children": t("spm_children_now"), "others_before_pct": t("spm_others_before_pct"),
              "others_now_pct": t("spm_others_now_pct"), "others_now_children": t("spm_others_children"),
              "aktif_pct": t("spm_aktif_pct"), "others_aktif_pct": t("spm_others_aktif_pct")})

p2wkss = catalogue()["p2wkss"]
st.subheader(t("p2wkss_candidates"))
mix = ", ".join(f"{v.get(language()) or v['id']} {v['weight']}" for v in p2wkss["candidates"].values())
st.caption(t("p2wkss_candidates_note").format(mix=mix))
candidates = query("pages/spm/candidates", region=region, year=period.start.replace(month=1), as_of=day)
ui.table(candidates.assign(already_p2wkss=candidates.already_p2wkss.map({True: t("spm_yes"), False: t("spm_no")})),
         f"p2wkss_candidates_{region}_{period.start.year}", "candidates",
         {"village_code": t("code"), "desa": t("level_desa"), "kecamatan": t("level_kecamatan"),
          "already_p2wkss": t("p2wkss_already"), "children": t("spm_children_now"),
          "households": t("p2wkss_households"), "need_score": t("p2wkss_need_score"),
          **{name: v.get(language()) or v["id"] for name, v in p2wkss["candidates"].items()}})

assessed_year = period.start.year
st.subheader(t("p2wkss_assessment").format(year=assessed_year))
villages = query("pages/spm/villages", region=region)
village_names = dict(zip(villages.village_code, villages.desa + " (" + villages.kecamatan + ")"))
store = AssessmentStore()
with st.form("p2wkss_form"):
    st.markdown(t("p2wkss_form").format(max=p2wkss["max_score"]))
    village = st.selectbox(t("p2wkss_village"), list(village_names), format_func=village_names.get, key="p2wkss_village")
    columns = st.columns(len(p2wkss["parts"]))
    entered = {part: column.number_input(f"{spec.get(language()) or spec['id']} ({spec['weight']}%)", min_value=0.0,
                                         max_value=float(p2wkss["max_score"]), step=1.0, key=f"p2wkss_{part}")
               for column, (part, spec) in zip(columns, p2wkss["parts"].items())}
    if st.form_submit_button(t("p2wkss_save")):
        try:
            store.enter(village, assessed_year, entered, current_user() or "?")
            st.success(t("p2wkss_saved"))
        except ScoreError as error:
            st.error(str(error))

scores = store.scores(assessed_year, list(village_names))
if scores.empty:
    ui.empty("p2wkss_no_scores")
else:
    ranked = ranking(scores, {code: village_names[code] for code in scores.village_code.unique()})
    ui.table(ranked, f"p2wkss_ranking_{region}_{assessed_year}", "p2wkss_ranking",
             {"village_code": t("code"), "desa": t("level_desa"), "total": t("p2wkss_total"), "rank": t("p2wkss_rank"),
              **{part: f"{spec.get(language()) or spec['id']} ({spec['weight']}%)"
                 for part, spec in p2wkss["parts"].items()}})
    title = t("p2wkss_sheet_title").format(year=assessed_year, place=f.place)
    st.download_button(t("p2wkss_sheet"), result_sheet(ranked, language(), title),
                       f"hasil_p2wkss_{region}_{assessed_year}.xlsx", key="p2wkss_sheet")
