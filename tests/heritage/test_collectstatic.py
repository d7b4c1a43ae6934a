"""collectstatic with the production storage (hashed, compressed names) succeeds, as a release needs.

ManifestStaticFilesStorage rewrites every reference inside CSS and JavaScript (url(), source maps) to
the hashed name and fails when a referenced file is missing: a vendored script whose source map was
left out stopped every deployment at this step (found by benchmarks/load_test.py).
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_collectstatic_with_the_production_storage(tmp_path):
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "REDIS_", "DJANGO_", "STATIC_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="haiphong.example.vn",
        DATABASE_URL="postgres://heritage@db.internal:5432/heritage",  # collectstatic never connects
        STATIC_ROOT=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in (
        "heritage/vendor/leaflet.markercluster/leaflet.markercluster.js",
        "heritage/vendor/leaflet/leaflet.js",
        "heritage/css/site.css",
    ):
        hashed = tmp_path / manifest[name]
        assert hashed.is_file() and hashed.name != Path(name).name
        assert Path(f"{hashed}.gz").is_file()  # compressed copy for WhiteNoise
    script = (tmp_path / manifest["heritage/vendor/leaflet.markercluster/leaflet.markercluster.js"]).read_text()
    source_map = manifest["heritage/vendor/leaflet.markercluster/leaflet.markercluster.js.map"]
    assert f"sourceMappingURL={Path(source_map).name}" in script
