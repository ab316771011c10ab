"""The payroll export asset: the published scorecard, month by month, for the salary system."""

from dagster import MaterializeResult, asset

from orchestration.defs.publish.serving_warehouse import serving_warehouse
from orchestration.resources import CenterWarehouse


@asset(key=["exports", "agent_scorecard"], group_name="exports", deps=[serving_warehouse],
       kinds={"csv", "excel"})  # fmt: skip
def agent_scorecard_export(warehouse: CenterWarehouse) -> MaterializeResult:
    """Each month's agent scorecard as CSV and XLSX in <warehouse>/exports/."""
    # Imported here: pandas and openpyxl would slow every load of the definitions.
    from orchestration.lib.payroll_export import write_payroll_exports

    written = write_payroll_exports(warehouse.serving_path, warehouse.serving_path.parent)
    return MaterializeResult(metadata={"files": [str(path) for path in written]})
