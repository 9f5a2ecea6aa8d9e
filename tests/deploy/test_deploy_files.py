"""The deployment files: the nginx site (generated, accepted by nginx), the Streamlit
settings of a proxied process and the service unit that uses them."""

from __future__ import annotations

import subprocess

import pytest

from deploy.local import SETTINGS_FILE, read_settings
from deploy.nginx import ROUTE_COOKIE, site_config, write_config
from geo.config import REPO_ROOT
from geo.data.refresh import MAX_RESPONSE_BYTES
from geo.local.limits import MAX_IMPORT_BYTES

#: The largest file a page reads: every upload limit of the deployment is this.
LARGEST_UPLOAD = max(MAX_IMPORT_BYTES, MAX_RESPONSE_BYTES)

pytestmark = pytest.mark.cluster


def test_the_committed_site_is_what_the_generator_writes():
    committed = (REPO_ROOT / "deploy" / "nginx-site.conf").read_text()
    assert committed == site_config([8501, 8502])


def test_nginx_accepts_the_site_with_and_without_a_base_path(nginx, tmp_path):
    for n, site in enumerate(
        (site_config([8501, 8502]), site_config([8501], "127.0.0.1:8080", "/naloxone/"))
    ):
        prefix = tmp_path / str(n)
        prefix.mkdir()
        main = write_config(str(prefix), site)
        checked = subprocess.run(
            [nginx, "-t", "-p", str(prefix), "-c", main, "-e", "stderr"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert checked.returncode == 0, checked.stderr
    assert "location /naloxone/ {" in site and "location = /naloxone/_stcore/health" in site


def test_the_site_keeps_a_browser_on_one_process_and_upgrades_websockets():
    site = site_config([8501, 8502, 8503])
    assert site.count("server 127.0.0.1:85") == 3
    assert "hash $naloxone_route consistent;" in site
    assert f"map $cookie_{ROUTE_COOKIE} $naloxone_route" in site
    assert f'Set-Cookie "{ROUTE_COOKIE}=$naloxone_route; Path=/; HttpOnly' in site
    assert "proxy_set_header Upgrade $http_upgrade;" in site
    assert "proxy_set_header Host $http_host;" in site  # Streamlit compares Origin and Host
    assert "proxy_set_header X-Real-IP $remote_addr;" in site
    assert "ip_hash" not in site


def test_the_process_settings_suit_a_proxy():
    settings = read_settings()
    assert settings["STREAMLIT_SERVER_ADDRESS"] == "127.0.0.1"
    assert settings["STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION"] == "true"
    assert settings["STREAMLIT_SERVER_ENABLE_CORS"] == "true"
    assert settings["STREAMLIT_SERVER_ENABLE_WEBSOCKET_COMPRESSION"] == "true"
    assert int(settings["STREAMLIT_SERVER_MAX_UPLOAD_SIZE"]) * 1024 * 1024 == LARGEST_UPLOAD
    assert settings["NALOXONE_CLIENT_ADDRESS_HEADER"] == "X-Real-IP"  # what nginx sets
    assert settings["NALOXONE_TRUSTED_PROXIES"] == "127.0.0.1,::1"  # nginx on this host
    assert settings["STREAMLIT_SERVER_FILE_WATCHER_TYPE"] == "none"  # served code is fixed
    assert settings["STREAMLIT_SERVER_RUN_ON_SAVE"] == "false"
    assert settings["MALLOC_ARENA_MAX"] == "2"  # memory returns after sessions close
    assert not any("SECRET" in key or "STORE" in key for key in settings)  # secrets elsewhere


def test_the_service_unit_runs_one_loopback_process_per_port():
    unit = (REPO_ROOT / "deploy" / "naloxone@.service").read_text()
    assert f"EnvironmentFile=/srv/md-naloxone/deploy/{SETTINGS_FILE.name}" in unit
    assert "--server.port %i" in unit
    assert "-m deploy.health --warm --timeout 120 %i" in unit


def test_only_the_upload_route_takes_files_and_it_is_rate_limited():
    from deploy.nginx import MAX_BODY, OTHER_MAX_BODY, UPLOAD_BURST, UPLOAD_RATE

    site = site_config([8501], base_path="naloxone")
    server_level = site.split("location", 1)[0]
    assert f"client_max_body_size {OTHER_MAX_BODY};" in server_level
    upload = site.split("location /naloxone/_stcore/upload_file/ {", 1)[1].split("}", 1)[0]
    assert f"client_max_body_size {MAX_BODY};" in upload
    assert f"limit_req zone=naloxone_uploads burst={UPLOAD_BURST} nodelay;" in upload
    assert "limit_req_status 429;" in upload and "proxy_pass http://naloxone_streamlit;" in upload
    assert f"zone=naloxone_uploads:10m rate={UPLOAD_RATE};" in site
    assert int(MAX_BODY.removesuffix("m")) * 2**20 > LARGEST_UPLOAD  # every upload fits
