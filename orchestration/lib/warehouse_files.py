"""The files of the warehouse folder, by name (orchestration.resources joins them to
WAREHOUSE_DIR; command-line tools that must start fast use them without importing Dagster)."""

BUILD_FILE = "build.duckdb"
SERVING_FILE = "serving.duckdb"
