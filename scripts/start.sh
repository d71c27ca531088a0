#!/usr/bin/env bash
# Set up, build the small demo database on first run, and start the dashboard.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export POSYANDU_DB=${POSYANDU_DB:-$PWD/data/posyandu.duckdb}
if [ ! -f "$POSYANDU_DB" ]; then
  echo "Building the demo database (first run only) ..."
  .venv/bin/python -m dashboard demo --db "$POSYANDU_DB"
fi
exec .venv/bin/python -m streamlit run dashboard/app.py --server.headless true --browser.gatherUsageStats false \
  --server.address "${HOST:-127.0.0.1}" --server.port "${PORT:-8501}" "$@"
