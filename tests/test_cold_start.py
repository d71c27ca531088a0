"""What keeps the app's cold start short, checked in a fresh interpreter each (imports are global):
`serve` does not import the importer, the map section does not import GeoPandas until a map is
drawn, suppression imports scipy only when a cell is hidden, and every warm-up step works."""

from __future__ import annotations

import json
import subprocess
import sys

from dashboard.config import PROJECT_ROOT


def modules_after(code: str) -> set[str]:
    """Top-level modules loaded after running ``code`` in a new Python process."""
    program = code + "\nimport json, sys\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    done = subprocess.run([sys.executable, "-c", program], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_serve_command_does_not_import_the_importer():
    loaded = modules_after("import dashboard.cli")
    assert not {"pandas", "duckdb", "python_calamine", "streamlit"} & loaded


def test_the_map_section_imports_geopandas_only_when_a_map_is_drawn():
    loaded = modules_after("import dashboard.ui.maps")
    assert "pandas" in loaded                       # the check sees imports at all
    assert not {"geopandas", "pyogrio", "scipy"} & loaded


def test_suppression_imports_scipy_only_when_a_cell_is_hidden():
    def suppressing(stunted: list[int]) -> str:
        return ("import pandas as pd\nfrom dashboard.public import suppress\n"
                f"t = pd.DataFrame({{'region_code': ['36', '36.01', '36.02'], 'stunted': {stunted},\n"
                "                  'measured': [900, 400, 500]})\n"
                "suppress.suppressed_rates(t, 'stunted', 'measured')\n")

    assert "scipy" not in modules_after(suppressing([150, 60, 90]))
    assert "scipy" in modules_after(suppressing([5, 5, 0]))   # hidden, no sibling to trade with: linear programs run


def test_every_warm_up_step_runs():
    from dashboard import serve

    loaded = modules_after("from dashboard import serve\nserve._warm_up(wait_s=0)")
    assert {name.split(".")[0] for name in serve.WARM_UP if name != "first figure"} <= loaded
    assert "plotly" in loaded and "scipy" not in loaded
    serve._first_figure()                           # a failed step is only logged by the warm-up: run it here
