"""Jobs: the one pipeline, ingest -> dbt build -> checks -> publish."""

from dagster import AssetSelection, define_asset_job

warehouse_job = define_asset_job(
    name="warehouse_job",
    selection=AssetSelection.all(),
    description="Ingest the landing folder, build and test the models, check, publish.",
)
