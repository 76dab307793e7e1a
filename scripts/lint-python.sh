#!/usr/bin/env bash
# Lint, format-check and type-check the Python programs under scripts/ (the kcl CLI and the
# function-kcl stand-in) with ruff and mypy --strict (settings: scripts/pyproject.toml). Both run from
# .tools/venv, the venv those programs run in, so mypy sees the pinned kcl-lib, Crossplane SDK,
# grpcio and protobuf; scripts/install-tools.sh installs them (reused when current).
# `ruff format scripts` fixes what the format check reports.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-tools.sh ruff mypy >/dev/null
py=(scripts/*.py)
.tools/bin/ruff check --no-fix "${py[@]}"
.tools/bin/ruff format --check "${py[@]}"
.tools/bin/mypy --config-file scripts/pyproject.toml "${py[@]}"
