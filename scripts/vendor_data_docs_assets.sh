#!/usr/bin/env bash
# Ship the scripts and styles Great Expectations' Data Docs load from CDNs, so the pages work offline.
# Takes the exact versions GX 1.24's templates name from the npm registry (`npm pack`) and copies only
# the files the pages use into homeless_monitor/quality/data_docs_assets/ (committed; about 0.8 MB).
# Re-run after a GX upgrade that changes the versions (homeless_monitor/quality/data_docs.py: ASSETS).
set -euo pipefail
cd "$(dirname "$0")/.."
target=homeless_monitor/quality/data_docs_assets
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent jquery@3.7.1 bootstrap@4.3.1 popper.js@1.12.9 bootstrap-table@1.19.1 \
    bootstrap-datepicker@1.9.0 @fortawesome/fontawesome-free@6.6.0 >/dev/null)
for tgz in "$work"/*.tgz; do name=$(basename "$tgz" .tgz); mkdir -p "$work/$name"; tar xzf "$tgz" -C "$work/$name"; done
rm -rf "$target"
copy() { mkdir -p "$target/$(dirname "$2")"; cp "$work/$1" "$target/$2"; }
copy jquery-3.7.1/package/dist/jquery.min.js jquery/jquery.min.js
copy jquery-3.7.1/package/LICENSE.txt jquery/LICENSE.txt
copy bootstrap-4.3.1/package/dist/css/bootstrap.min.css bootstrap/bootstrap.min.css
copy bootstrap-4.3.1/package/dist/js/bootstrap.min.js bootstrap/bootstrap.min.js
copy bootstrap-4.3.1/package/LICENSE bootstrap/LICENSE
copy popper.js-1.12.9/package/dist/umd/popper.min.js popper/popper.min.js
copy bootstrap-table-1.19.1/package/dist/bootstrap-table.min.css bootstrap-table/bootstrap-table.min.css
copy bootstrap-table-1.19.1/package/dist/bootstrap-table.min.js bootstrap-table/bootstrap-table.min.js
copy bootstrap-table-1.19.1/package/dist/extensions/filter-control/bootstrap-table-filter-control.min.css \
    bootstrap-table/bootstrap-table-filter-control.min.css
copy bootstrap-table-1.19.1/package/dist/extensions/filter-control/bootstrap-table-filter-control.min.js \
    bootstrap-table/bootstrap-table-filter-control.min.js
copy bootstrap-table-1.19.1/package/LICENSE bootstrap-table/LICENSE
copy bootstrap-datepicker-1.9.0/package/dist/css/bootstrap-datepicker.min.css bootstrap-datepicker/bootstrap-datepicker.min.css
copy bootstrap-datepicker-1.9.0/package/dist/js/bootstrap-datepicker.min.js bootstrap-datepicker/bootstrap-datepicker.min.js
copy bootstrap-datepicker-1.9.0/package/LICENSE bootstrap-datepicker/LICENSE
copy fortawesome-fontawesome-free-6.6.0/package/css/all.min.css font-awesome/css/all.min.css
copy fortawesome-fontawesome-free-6.6.0/package/webfonts/fa-solid-900.woff2 font-awesome/webfonts/fa-solid-900.woff2
copy fortawesome-fontawesome-free-6.6.0/package/webfonts/fa-regular-400.woff2 font-awesome/webfonts/fa-regular-400.woff2
copy fortawesome-fontawesome-free-6.6.0/package/LICENSE.txt font-awesome/LICENSE.txt
du -sh "$target"
