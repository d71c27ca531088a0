"""Map figures: classes (fixed WHO/UNICEF bands and classifiers), no-data and too-few-children areas
drawn apart, legend counts, hover with numerator/denominator, and the figure's size."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest

from dashboard.indicators import catalogue
from dashboard.maps import figure

TEXT = figure.MapText(value_name="Stunting", no_data="Tanpa data", few="Anak < 30", areas="desa", parent="Kecamatan")
BANDS = catalogue()["prevalence"]["stunting"]["bands"]


def test_stunting_bands_follow_who_unicef_2018_at_their_edges():
    classes = figure.fixed_bands(BANDS, "en")
    values = pd.Series([0, 2.49, 2.5, 9.99, 10, 19.99, 20, 29.99, 30, 100, None])
    assert classes.of(values).tolist() == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, pd.NA]
    assert classes.labels[0].endswith("very low") and classes.labels[-1] == "≥ 30% very high"
    assert figure.fixed_bands(BANDS, "id").labels[-1] == "≥ 30% sangat tinggi"


@pytest.mark.parametrize(("lang", "band", "count"), [("id", "2,5–<10% rendah", "(1.097 desa)"),
                                                     ("en", "2.5–<10% low", "(1,097 desa)")])
def test_the_legend_writes_numbers_the_readers_way(lang, band, count):
    names = pd.DataFrame({"code": [f"36.04.15.{i}" for i in range(1097)], "name": "Desa", "parent_name": "Cikande"})
    values = pd.DataFrame({"code": names["code"], "value": 5.0, "numerator": 5.0, "denominator": 100.0})
    text = figure.MapText(value_name="Stunting", no_data="-", few="-", areas="desa", parent="", lang=lang)
    fig = figure.choropleth("x", names, values, figure.fixed_bands(BANDS, lang), text, bounds=(106, -6.1, 106.5, -5.9))
    assert [trace.name for trace in fig.data if trace.name.startswith(band)] == [f"{band} {count}"]


def test_a_quantile_map_whose_classes_collapse_says_so():
    values = pd.Series([0.0] * 30 + [5.0, 7.5, 10.0])
    classes = figure.classified(values, "quantiles", 5, "%", "id")
    assert len(classes) < 5 and classes.requested == 5
    names = pd.DataFrame({"code": [str(i) for i in range(len(values))], "name": "Desa", "parent_name": ""})
    text = figure.MapText(value_name="Wasting", no_data="-", few="-", areas="desa", parent="",
                          collapsed="{n} dari {k} kelas: banyak wilayah bernilai sama")
    fig = figure.choropleth("x", names, pd.DataFrame({"code": names.code, "value": values, "numerator": values,
                                                      "denominator": 100.0}), classes, text, bounds=(106, -6.1, 106.5, -5.9))
    assert f"{len(classes)} dari 5 kelas" in fig.layout.legend.title.text


@pytest.mark.parametrize("scheme", figure.SCHEMES)
def test_classifiers_put_every_value_in_one_class(scheme):
    values = pd.Series(np.random.default_rng(3).gamma(2, 10, 400))
    classes = figure.classified(values, scheme, 5)
    index = classes.of(values)
    assert len(classes) == 5 and index.notna().all()
    assert index.min() == 0 and index.max() == 4
    for i in range(5):   # each class holds exactly the values between its edges
        inside = values[index == i]
        assert (inside >= classes.edges[i]).all() and (inside <= classes.edges[i + 1]).all()
    if scheme == "quantiles":
        assert index.value_counts().max() - index.value_counts().min() <= 2


def test_fewer_distinct_values_than_classes_gives_fewer_classes():
    values = pd.Series([0, 0, 3, 3, 3, 7])
    classes = figure.classified(values, "natural_breaks", 5)
    assert len(classes) == 3 and classes.of(values).tolist() == [0, 0, 1, 1, 1, 2]
    assert len(figure.classified(pd.Series([4.0, 4.0]), "quantiles")) == 1
    with pytest.raises(ValueError, match="unknown classification scheme"):
        figure.classified(values, "jenks-ish")


def _areas(n: int = 40) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(5)
    codes = [f"36.04.15.{2001 + i}" for i in range(n)]
    names = pd.DataFrame({"code": codes, "name": [f"Desa {i}" for i in range(n)], "parent_name": "Cikande"})
    denominator = rng.integers(10, 200, n).astype(float)
    numerator = np.floor(denominator * rng.uniform(0, 0.4, n))
    values = pd.DataFrame({"code": codes, "numerator": numerator, "denominator": denominator,
                           "value": 100 * numerator / denominator})
    return names, values.iloc[3:]            # the first three villages have no data


def _square(code: str, i: int) -> dict:
    x = 106 + i * 0.01
    return {"type": "Feature", "id": code, "properties": {},
            "geometry": {"type": "Polygon", "coordinates": [[[x, -6], [x + 0.01, -6], [x + 0.01, -6.01], [x, -6.01], [x, -6]]]}}


def test_every_area_is_drawn_once_with_no_data_and_few_children_apart():
    names, values = _areas()
    classes = figure.fixed_bands(BANDS)
    fig = figure.choropleth("app/static/maps/x.geojson", names, values, classes, TEXT, bounds=(106, -6.1, 106.5, -5.9),
                            min_denominator=30)
    drawn = [code for trace in fig.data for code in trace.locations]
    assert sorted(drawn) == sorted(names["code"])
    by_name = {trace.name.split(" (")[0]: trace for trace in fig.data}
    few = values.loc[values["denominator"] < 30, "code"]
    assert sorted(by_name["Anak < 30"].locations) == sorted(few)
    assert sorted(by_name["Tanpa data"].locations) == sorted(names["code"][:3])
    expected = classes.of(values.set_index("code")["value"].drop(few))
    for i, label in enumerate(classes.labels):
        trace = by_name[label]
        assert sorted(trace.locations) == sorted(expected[expected == i].index)
        assert trace.name == f"{label} ({len(trace.locations)} desa)"      # the legend counts its areas
    assert all(trace.geojson == "app/static/maps/x.geojson" for trace in fig.data)


def test_hover_carries_the_value_numerator_and_denominator():
    names, values = _areas()
    fig = figure.choropleth("x.geojson", names, values, figure.fixed_bands(BANDS), TEXT, bounds=(106, -6.1, 106.5, -5.9))
    row = values.iloc[0]
    trace = next(t for t in fig.data if row["code"] in t.locations)
    data = trace.customdata[list(trace.locations).index(row["code"])]
    assert data[0] == "Desa 3" and data[1] == "Cikande"
    assert data[2] == f"{row['value']:.1f}%".replace(".", ",")            # Indonesian by default, with its unit
    assert data[3] == f"{row['numerator']:,.0f} / {row['denominator']:,.0f}".replace(",", ".")
    assert "Kecamatan: %{customdata[1]}" in trace.hovertemplate


def test_higher_is_better_puts_the_darkest_colour_on_the_lowest_class():
    names, values = _areas()
    classes = figure.classified(values["value"], "quantiles")
    worse_high = figure.choropleth("x", names, values, classes, TEXT, bounds=(106, -6.1, 106.5, -5.9))
    worse_low = figure.choropleth("x", names, values, classes, TEXT, bounds=(106, -6.1, 106.5, -5.9), higher_is_better=True)
    assert worse_high.data[0].colorscale[0][1] == worse_low.data[len(classes) - 1].colorscale[0][1]


def test_embedded_geometry_carries_each_feature_once():
    names, values = _areas()
    features = {code: _square(code, i) for i, code in enumerate(names["code"])}
    fig = figure.choropleth(features, names, values, figure.fixed_bands(BANDS), TEXT, bounds=(106, -6.1, 106.5, -5.9),
                            min_denominator=30)
    ids = [f["id"] for trace in fig.data for f in trace.geojson["features"]]
    assert sorted(ids) == sorted(names["code"])


def test_the_view_fits_the_area():
    view = figure.view((105.1, -7.02, 106.78, -5.81), 520)      # Banten
    assert view["center"]["lon"] == pytest.approx(105.94)
    assert -6.5 < view["center"]["lat"] < -6.3 and 6 < view["zoom"] < 9
    assert figure.view((106.0, -6.2, 106.05, -6.15), 520)["zoom"] > view["zoom"]


def test_a_banten_village_map_is_small(banten_prepared):
    """With the polygons served as a file the figure carries only values; embedded it stays under 2 MB."""
    shapes = banten_prepared.level("desa", "36")
    names = shapes[["code", "name", "parent_name"]]
    rng = np.random.default_rng(1)
    denominator = rng.integers(0, 200, len(names)).astype(float)
    numerator = np.floor(denominator * 0.2)
    values = pd.DataFrame({"code": names["code"], "numerator": numerator, "denominator": denominator,
                           "value": 100 * numerator / np.where(denominator > 0, denominator, np.nan)})
    args = (names, values, figure.fixed_bands(BANDS), TEXT)
    served = pio.to_json(figure.choropleth("app/static/maps/banten.geojson", *args, bounds=tuple(shapes.total_bounds),
                                           min_denominator=30))
    embedded = pio.to_json(figure.choropleth(banten_prepared.features("desa", "36"), *args,
                                             bounds=tuple(shapes.total_bounds), min_denominator=30))
    assert len(served) < 400_000 and len(embedded) < 2_000_000
    assert len(json.loads(embedded)["data"]) == 7
