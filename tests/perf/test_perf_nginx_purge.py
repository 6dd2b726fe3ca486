"""deploy/nginx-proxy-cache.conf, run by the real nginx: Wagtail's purge reaches its cache.

The production file is started as it is (TLS and ports swapped for loopback ones) in front of
a small stand-in app that numbers its answers, so a test can tell a cached copy from a fresh
one. Skipped where nginx or Debian's purge module is not installed (bench/run installs both).
"""

import http.server
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from wagtail.contrib.frontend_cache.backends import HTTPBackend

ROOT = Path(__file__).resolve().parents[2]
MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")

pytestmark = pytest.mark.skipif(
    not (MODULE.exists() and Path(NGINX).exists()), reason="needs nginx and libnginx-mod-http-cache-purge"
)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _App(http.server.BaseHTTPRequestHandler):
    """Answers like the platform: public for anonymous readers, private with a session."""

    served = 0

    def do_GET(self):
        type(self).served += 1
        signed_in = "sessionid=" in (self.headers.get("Cookie") or "")
        body = f"copy {type(self).served} cookie={self.headers.get('Cookie') or ''}".encode()
        self.send_response(200)
        if signed_in:
            self.send_header("Cache-Control", "private")
        else:
            self.send_header("Cache-Control", "public, max-age=0, s-maxage=300")
            self.send_header("X-Accel-Expires", "300")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def front_end():
    app = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _App)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    workdir = Path(tempfile.mkdtemp(prefix="cop-nginx-test-"))
    # nginx started by root runs its workers as nobody: they must reach the cache directory.
    workdir.chmod(0o755)
    https_port, purge_port = _free_port(), _free_port()
    site = (ROOT / "deploy" / "nginx-proxy-cache.conf").read_text()
    site = site.replace("/var/cache/nginx/cop", str(workdir / "cache"))
    site = site.replace("127.0.0.1:8000", f"127.0.0.1:{app.server_address[1]}")
    site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port};")
    site = site.replace("listen 127.0.0.1:6081;", f"listen 127.0.0.1:{purge_port};")
    site = re.sub(r"\n\s*(ssl_\w+|listen \[::\]:\d+[^;]*|listen 80)[^;]*;", "", site)
    site = site.replace("    return 301 https://$host$request_uri;\n", "")
    temp = workdir / "tmp"
    temp.mkdir()
    (workdir / "nginx.conf").write_text(
        f"load_module {MODULE};\npid {workdir}/nginx.pid;\nerror_log {workdir}/error.log;\ndaemon off;\n"
        "events { worker_connections 64; }\nhttp {\n    access_log off;\n"
        + "".join(f"    {kind}_temp_path {temp};\n" for kind in TEMP_PATHS)
        + site
        + "\n}\n"
    )
    process = subprocess.Popen([NGINX, "-c", str(workdir / "nginx.conf"), "-p", str(workdir)])  # noqa: S603
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", https_port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.05)
    yield {"base": f"http://localhost:{https_port}", "purge": f"http://127.0.0.1:{purge_port}"}
    process.terminate()
    process.wait(timeout=10)
    app.shutdown()
    shutil.rmtree(workdir, ignore_errors=True)


def _get(url, cookie=None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback test server
        return response.headers.get("X-Cache"), response.read().decode()


def test_nginx_serves_an_anonymous_public_page_from_its_cache(front_end):
    _get(front_end["base"] + "/fr/cached/")
    status, _ = _get(front_end["base"] + "/fr/cached/")
    assert status == "HIT"


def test_wagtail_purge_removes_the_page_so_the_next_reader_gets_the_new_version(front_end):
    url = front_end["base"] + "/fr/publie/"
    _, first = _get(url)
    assert _get(url)[1] == first
    # What Wagtail sends on publish: PURGE to FRONTEND_CACHE_URL with the site's host name.
    HTTPBackend({"LOCATION": front_end["purge"]}).purge("http://localhost/fr/publie/")
    status, after = _get(url)
    assert status == "MISS"
    assert after != first


def test_after_a_purge_the_cached_new_version_is_served_not_the_old_file(front_end):
    url = front_end["base"] + "/fr/republie/"
    _, first = _get(url)
    assert _get(url) == ("HIT", first)
    HTTPBackend({"LOCATION": front_end["purge"]}).purge("http://localhost/fr/republie/")
    _, after = _get(url)
    # Served from the cache again: the new file, never the old one nginx kept open.
    assert _get(url) == ("HIT", after)
    assert after != first


def test_purging_a_page_that_was_never_cached_is_not_an_error(front_end):
    request = urllib.request.Request(front_end["purge"] + "/fr/jamais-vue/", method="PURGE")  # noqa: S310
    request.add_header("Host", "localhost")
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - loopback test server
        assert response.status == 200


def test_the_purge_server_refuses_anything_but_purge(front_end):
    with pytest.raises(urllib.error.HTTPError) as refused:
        _get(front_end["purge"] + "/fr/publie/")
    assert refused.value.code == 405


def test_a_signed_in_request_is_never_answered_from_the_cache(front_end):
    url = front_end["base"] + "/fr/membres/"
    _get(url)
    status, body = _get(url, cookie="sessionid=alice; _ga=1")
    assert status == "BYPASS"
    assert "sessionid=alice" in body


def test_junk_cookies_neither_reach_the_app_nor_split_the_cache(front_end):
    url = front_end["base"] + "/fr/temoins/"
    _, first = _get(url, cookie="_ga=GA1.2.3; tracking=xyz")
    status, second = _get(url, cookie="other=1")
    assert "cookie=" in first and "_ga" not in first
    assert (status, second) == ("HIT", first)
