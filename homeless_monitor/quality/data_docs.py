"""Great Expectations Data Docs that work offline: the scripts and styles GX's templates load from CDNs
(jQuery, Bootstrap, Popper, bootstrap-table, the datepicker, Font Awesome) are shipped with the project
(data_docs_assets/, taken from the npm registry by scripts/vendor_data_docs_assets.sh) and each page is
pointed at its copy under `data_docs/static/vendor/`. What is not shipped (Vega, the dark-mode style) is
removed from the pages, as is every other tag or style that would load from the internet.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "data_docs_assets"
VENDOR = Path("static") / "vendor"

#: the CDN addresses in GX 1.24's templates -> the shipped file (relative to data_docs_assets/)
LOCAL = {
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/jquery.min.js",
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap/bootstrap.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper/popper.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": "bootstrap-table/bootstrap-table-filter-control.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": "bootstrap-table/bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": "bootstrap-table/bootstrap-table-filter-control.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": "bootstrap-datepicker/bootstrap-datepicker.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": "bootstrap-datepicker/bootstrap-datepicker.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "font-awesome/css/all.min.css",
}


def install_assets(docs_dir: Path) -> Path:
    """Copy the shipped files into the site (once per version of the project's copy)."""
    target = Path(docs_dir) / VENDOR
    for source in ASSETS.rglob("*"):
        if source.is_file() and source.suffix != ".md":
            copy = target / source.relative_to(ASSETS)
            if not copy.exists() or copy.stat().st_size != source.stat().st_size:
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, copy)
    return target


def localize(html: str, page: Path, docs_dir: Path) -> str:
    """Point the page's CDN tags at the shipped copies (paths relative to the page)."""
    base = os.path.relpath(Path(docs_dir) / VENDOR, Path(page).parent).replace(os.sep, "/")
    for remote, local in LOCAL.items():
        html = html.replace(f'"{remote}"', f'"{base}/{local}"')
    return html
