"""The data docs index view GX loads by name (importing GX costs seconds: only GX imports it)."""

from great_expectations.render.view.view import DefaultJinjaIndexPageView
from jinja2 import ChoiceLoader, FileSystemLoader

from orchestration.resources import REPO_ROOT

# Templates here are found before GX's own (GX only appends its plugin views after them).
VIEWS_DIR = REPO_ROOT / "expectations" / "data_docs"


class OfflineIndexPageView(DefaultJinjaIndexPageView):
    """GX's index page with its tables as plain HTML instead of CDN JavaScript."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.env.loader = ChoiceLoader([FileSystemLoader(VIEWS_DIR), self.env.loader])
