"""Great Expectations data docs: a static site of every suite and validation, per warehouse.

Each contract check validates through a checkpoint of the warehouse's file-backed GX project
(`<warehouse>/gx`), which stores the result; the run's last contract check renders the run's
results into the site. GX draws the site's index tables in the browser with JavaScript from
CDNs; these machines have no network, so the index view in data_docs_view.py renders them as
plain HTML (expectations/data_docs/).
"""

from pathlib import Path

SITE_NAME = "local_site"
SITE_DIR = Path("uncommitted") / "data_docs" / SITE_NAME

SITE_CONFIG = {
    "class_name": "SiteBuilder",
    "show_how_to_buttons": False,
    "store_backend": {
        "class_name": "TupleFilesystemStoreBackend",
        "base_directory": f"{SITE_DIR}/",
    },
    "site_index_builder": {
        "class_name": "DefaultSiteIndexBuilder",
        "show_cta_footer": False,
        "validation_results_limit": 500,  # the newest: a month of daily builds of every suite
        "view": {
            "module_name": "orchestration.lib.data_docs_view",
            "class_name": "OfflineIndexPageView",
        },
    },
}


def gx_project_dir(warehouse_dir: Path) -> Path:
    """The warehouse's file-backed GX project: suites, stored validation results, data docs."""
    return warehouse_dir / "gx"


def data_docs_index(warehouse_dir: Path) -> Path:
    """The site's front page, readable from the file."""
    return gx_project_dir(warehouse_dir) / "gx" / SITE_DIR / "index.html"


def configure_site(context) -> None:  # context: a GX FileDataContext (GX imported lazily)
    """Points the project's one data docs site at the offline index view."""
    if SITE_NAME in context.list_data_docs_sites():
        context.update_data_docs_site(SITE_NAME, SITE_CONFIG)
    else:
        context.add_data_docs_site(SITE_NAME, SITE_CONFIG)
