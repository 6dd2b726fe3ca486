# ruff: noqa: T201, S603, S108 -- a command-line benchmark: prints, runs local tools, uses /tmp
"""The benchmark behind `bench/run`: the platform against nginx and bare Wagtail, same machine.

For each database (SQLite, PostgreSQL) and data size asked for, it builds a throwaway
database (`load_demo` + `generate_scale_data`), starts the platform under gunicorn (2 sync
workers, production settings, loopback) with Varnish in front (the shared cache of deploy/),
a second gunicorn with the per-process page cache, nginx serving saved copies of the same
pages, and a bare `wagtail start` project with one rich-text page of the same size; then it
measures each target with wrk (16 clients for throughput, 1 client for latency), counts the
database queries of each view, reads the workers' memory, times how long a publish takes to
show through the shared cache, and checks that no private page is ever served from it.

Writes bench/results/<date>.json, <date>.md (table with ratios to nginx and bare Wagtail)
and <date>.png (latency chart). Methodology: /work/shared/BENCH-NOTES.md.
"""

import argparse
import contextlib
import datetime
import html
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
WAGTAIL = str(ROOT / ".venv" / "bin" / "wagtail")
SIZES = {
    "tiny": {"workspaces": 4, "pages": 60, "deliverables": 30, "users": 20},
    "small": {"workspaces": 20, "pages": 1000, "deliverables": 300, "users": 200},
    "large": {"workspaces": 50, "pages": 3000, "deliverables": 800, "users": 500},
    "full": {"workspaces": 200, "pages": 20000, "deliverables": 5000, "users": 2000},
}
JUNK_COOKIES = "_ga=GA1.2.345; tracking=abcdef0123456789; cop_language=fr"
PROCESSES = []
MEDIAWIKI = None  # set up once per run by main() when Debian's mediawiki is installed


def log(message):
    print(f"[bench {datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, env=None, cwd=None, check=True, quiet=True):
    result = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(map(str, cmd))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    if not quiet:
        print(result.stdout[-2000:])
    return result


def start(cmd, env=None, cwd=None, logfile=None):
    out = open(logfile, "w") if logfile else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )
    PROCESSES.append(process)
    return process


def stop_all():
    for process in reversed(PROCESSES):
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    for process in PROCESSES:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    PROCESSES.clear()


def wait_http(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def http(url, cookie=None, data=None, headers=None):
    """(status, headers, body) without following redirects or honouring Secure cookies."""
    request = urllib.request.Request(url, data=data, headers=dict(headers or {}))  # noqa: S310
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        response = OPENER.open(request, timeout=60)
    except urllib.error.HTTPError as error:
        response = error
    return response.status, response.headers, response.read()


def cookies_from(headers):
    jar = {}
    for value in headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def login(base, login_path, username, password):
    """Sign in through the real login form; returns the Cookie header value."""
    status, headers, body = http(base + login_path)
    jar = cookies_from(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    data = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    status, headers, body = http(
        base + login_path, cookie=cookie, data=data.encode(), headers={"Referer": base + login_path}
    )
    jar.update(cookies_from(headers))
    if "sessionid" not in jar:
        raise RuntimeError(f"login as {username} failed ({status})")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


# Load generation -----------------------------------------------------------------------------


def wrk(url, connections, threads, duration, cookie=None, paths=None):
    env = dict(os.environ)
    env["WRK_COOKIE"] = cookie or ""
    if paths:
        path_file = Path(f"/tmp/cop-bench-paths-{os.getpid()}.txt")
        path_file.write_text("\n".join(paths) + "\n")
        env["WRK_PATHS"] = str(path_file)
    else:
        env.pop("WRK_PATHS", None)
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "30s",
        "-s",
        str(BENCH / "latency.lua"),
        url,
    ]
    result = run(cmd, env=env, check=False)
    line = next((x for x in result.stdout.splitlines() if x.startswith("JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {result.stdout}\n{result.stderr}")
    stats = json.loads(line[5:])
    stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6) if stats["duration_us"] else 0
    return stats


def measure(name, base, path, options, cookie=None, paths=None, connections=16):
    """Warm up, then throughput with 16 clients and latency with one (median of --repeat)."""
    url = base + (paths[0] if paths else path)
    log(f"measuring {name}: {url}")
    wrk(url, 4, 2, options.warmup, cookie, paths)
    throughput, latency = [], []
    for _ in range(options.repeat):
        throughput.append(wrk(url, connections, min(2, connections), options.duration, cookie, paths))
        latency.append(wrk(url, 1, 1, options.duration, cookie, paths))
    throughput.sort(key=lambda s: s["rps"])
    latency.sort(key=lambda s: s["p95_ms"])
    best = throughput[len(throughput) // 2]
    one = latency[len(latency) // 2]
    return {
        "name": name,
        "url": url,
        "rps": round(best["rps"], 1),
        "errors": best["errors"] + one["errors"],
        "non_2xx": best["non_2xx"] + one["non_2xx"],
        "bytes_per_request": round(best["bytes"] / best["requests"]) if best["requests"] else 0,
        "mb_per_s": round(best["bytes"] / (best["duration_us"] / 1e6) / 1e6, 1) if best["duration_us"] else 0,
        "one_client_rps": round(one["rps"], 1),
        "p50_ms": round(one["p50_ms"], 2),
        "p95_ms": round(one["p95_ms"], 2),
        "p99_ms": round(one["p99_ms"], 2),
    }


def measure_against_static(name, base, path, options, cookie, static_url):
    """A shared cache against nginx serving the saved copy of the same page, their throughput
    measured in turns (five rounds at least, the same requests, cookies included): both share
    the machine's two cores, so runs minutes apart differ with the machine's state (the
    static copy alone moved between 79 000 and 110 000 req/s in four runs) more than with the
    cache. The ratio of the medians is the cache's "x nginx"."""
    result = measure(name, base, path, options, cookie)
    cached, static = [], []
    for _ in range(max(5, options.repeat)):
        static.append(wrk(static_url, 16, 2, options.duration, cookie)["rps"])
        cached.append(wrk(base + path, 16, 2, options.duration, cookie)["rps"])
    cached.sort()
    static.sort()
    result["rps"] = round(cached[len(cached) // 2], 1)
    result["nginx_static_same_turns_rps"] = round(static[len(static) // 2], 1)
    result["vs_nginx"] = round(result["rps"] / result["nginx_static_same_turns_rps"], 3)
    return result


# The platform --------------------------------------------------------------------------------


def postgres(workdir):
    """A throwaway PostgreSQL cluster on loopback; returns (DATABASE_URL, stop function)."""
    pg_bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    data = workdir / "pg"
    data.mkdir(parents=True, exist_ok=True)
    owner = []
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
        shutil.chown(workdir, "postgres")
        owner = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    password = secrets.token_hex(12)
    pwfile = workdir / "pwfile"
    pwfile.write_text(password + "\n")
    if owner:
        shutil.chown(pwfile, "postgres")
    run([*owner, str(pg_bin / "initdb"), "-D", str(data / "data"), "-U", "cop", f"--pwfile={pwfile}",
         "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"])  # fmt: skip
    run([*owner, str(pg_bin / "pg_ctl"), "-D", str(data / "data"), "-l", str(data / "log"), "-w", "-o",
         f"-c listen_addresses=127.0.0.1 -p {port} -k {data} -c fsync=off -c synchronous_commit=off "
         "-c shared_buffers=128MB", "start"])  # fmt: skip
    run([*owner, str(pg_bin / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "cop", "cop"],
        env={**os.environ, "PGPASSWORD": password})  # fmt: skip

    def stop():
        run([*owner, str(pg_bin / "pg_ctl"), "-D", str(data / "data"), "-m", "fast", "stop"], check=False)

    return f"postgres://cop:{password}@127.0.0.1:{port}/cop", stop


def platform_env(workdir, database_url, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "PAGE_CACHE"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "False",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(workdir / "media"),
            "STATIC_ROOT": str(workdir / "static"),
            "PAGE_CACHE_STAMP": str(workdir / "page-cache-generation"),
            "LOG_LEVEL": "ERROR",
            "AXES_FAILURE_LIMIT": "1000",
        }
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


def manage(env, *args):
    return run([PY, "manage.py", *args], env=env, cwd=ROOT)


def prepare_database(env):
    """Schema, cache table, demo site and static files: once per database."""
    started = time.monotonic()
    log("migrate, load_demo, collectstatic")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "createcachetable")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput", "-v0")
    return round(time.monotonic() - started, 1)


def grow(env, current, size, large_file):
    """Add data until the database holds `size` (datasets add up: small, then large)."""
    wanted = SIZES[size]
    increment = {k: max(0, wanted[k] - current.get(k, 0)) for k in wanted}
    if not increment["workspaces"]:
        increment["workspaces"] = 1
    log(f"generate_scale_data {increment}")
    started = time.monotonic()
    args = [f"--{k}={v}" for k, v in increment.items()]
    if large_file:
        args.append("--large-file-mb=50")
    output = manage(env, "generate_scale_data", *args, "--no-index").stdout
    seconds = time.monotonic() - started
    for k in wanted:
        current[k] = current.get(k, 0) + increment[k]
    commands = run([PY, "manage.py", "help", "--commands"], env=env, cwd=ROOT).stdout.split()
    index_seconds = None
    if "rebuild_search_index" in commands:
        log("rebuild_search_index")
        started = time.monotonic()
        manage(env, "rebuild_search_index")
        index_seconds = round(time.monotonic() - started, 1)
    return {
        "generated": increment,
        "generate_scale_data_seconds": round(seconds, 1),
        "rebuild_search_index_seconds": index_seconds,
        "generate_output": output.strip().splitlines()[-3:],
    }


def gunicorn(env, port, logfile, cwd=ROOT, module="config.wsgi", workers=2):
    process = start(
        [GUNICORN, module, "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "sync",
         "--max-requests", "0", "--log-level", "warning"],
        env=env, cwd=cwd, logfile=logfile,
    )  # fmt: skip
    wait_http(
        f"http://127.0.0.1:{port}/robots.txt" if module == "config.wsgi" else f"http://127.0.0.1:{port}/"
    )
    return process


def worker_rss(master):
    """Resident memory (MB) of each worker of a gunicorn master."""
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == master.pid:
                status = (stat.parent / "status").read_text()
                rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
                sizes.append(round(rss / 1024, 1))
        except (OSError, AttributeError, IndexError):
            continue
    return sorted(sizes)


def varnish(workdir, backend_port, port):
    vcl = (ROOT / "deploy" / "varnish.vcl").read_text()
    vcl = vcl.replace('.port = "8000"', f'.port = "{backend_port}"')
    path = workdir / "bench.vcl"
    path.write_text(vcl)
    name = workdir / "varnish"
    process = start(
        ["varnishd", "-F", "-a", f"127.0.0.1:{port}", "-f", str(path), "-n", str(name), "-s", "malloc,256m",
         "-T", "none", "-p", "thread_pool_min=50"],
        logfile=workdir / "varnish.log",
    )  # fmt: skip
    wait_http(f"http://127.0.0.1:{port}/robots.txt")
    return port, process


def nginx(workdir, pages, extra=""):
    """nginx serving saved copies of the pages: the physical limit for the same bytes (plus
    the `extra` servers: the nginx proxy_cache and the load balancer of the two apps)."""
    root = workdir / "nginx-root"
    root.mkdir(exist_ok=True)
    for name, body in pages.items():
        (root / f"{name}.html").write_bytes(body)
    port = free_port()
    conf = workdir / "nginx.conf"
    conf.write_text(
        f"""
{load_purge_module()}
worker_processes 2;
pid {workdir}/nginx.pid;
error_log {workdir}/nginx-error.log;
daemon off;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    default_type text/html;
    client_body_temp_path {workdir}/nginx-tmp;
    proxy_temp_path {workdir}/nginx-tmp;
    fastcgi_temp_path {workdir}/nginx-tmp;
    uwsgi_temp_path {workdir}/nginx-tmp;
    scgi_temp_path {workdir}/nginx-tmp;
    server {{
        listen 127.0.0.1:{port};
        root {root};
    }}
{extra}
}}
"""
    )
    (workdir / "nginx-tmp").mkdir(exist_ok=True)
    start(["nginx", "-c", str(conf), "-p", str(workdir)], logfile=workdir / "nginx.log")
    wait_http(f"http://127.0.0.1:{port}/home.html")
    return port


PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")


def load_purge_module():
    """Debian's libnginx-mod-http-cache-purge (bench/run installs it), for the purge server."""
    return f"load_module {PURGE_MODULE};" if PURGE_MODULE.exists() else ""


def nginx_proxy_cache(workdir, app_port, port, purge_port):
    """nginx's own cache in front of the app, as deploy/nginx-proxy-cache.conf (http level),
    with its purge server on `purge_port` (where Wagtail sends PURGE on publish)."""
    (workdir / "nginx-cache").mkdir(exist_ok=True)
    purge = ""
    if PURGE_MODULE.exists():
        purge = f"""
    server {{
        listen 127.0.0.1:{purge_port};
        location / {{
            allow 127.0.0.1;
            deny all;
            if ($request_method != PURGE) {{ return 405; }}
            proxy_cache_purge cop "$host$request_uri";
            error_page 404 =200 @not_cached;
        }}
        location @not_cached {{ return 200 "not cached\\n"; }}
    }}
"""
    return (
        purge
        + f"""
    proxy_cache_path {workdir}/nginx-cache levels=1:2 keys_zone=cop:20m max_size=500m inactive=1h
                     use_temp_path=off;
    map $cookie_sessionid $cop_signed_in {{ default 1; "" 0; }}
    map $cop_signed_in $cop_cookie {{ 0 ""; 1 $http_cookie; }}
    upstream cop_app {{ server 127.0.0.1:{app_port}; keepalive 32; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_cache cop;
            proxy_cache_key "$host$request_uri";
            proxy_cache_methods GET HEAD;
            proxy_cache_bypass $cop_signed_in;
            proxy_no_cache $cop_signed_in;
            proxy_ignore_headers Vary;
            proxy_cache_lock on;
            proxy_cache_use_stale updating error timeout;
            proxy_cache_background_update on;
            add_header X-Cache $upstream_cache_status;
            open_file_cache max=10000 inactive=60s;
            open_file_cache_valid 30s;
            proxy_pass http://cop_app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header Cookie $cop_cookie;
        }}
    }}
"""
    )


def nginx_pair(ports, port):
    """nginx balancing over two app processes (round robin), as on two app servers."""
    servers = " ".join(f"server 127.0.0.1:{p};" for p in ports)
    return f"""
    upstream cop_pair {{ {servers} keepalive 32; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://cop_pair;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
        }}
    }}
"""


def redis(workdir):
    """A throwaway Redis on loopback (no persistence); returns its port, or None without it."""
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(server).exists():
        return None
    port = free_port()
    start([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
           "--dir", str(workdir)], logfile=workdir / "redis.log")  # fmt: skip
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return port
        time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def two_apps_check(bases, env, path, login_path, probe):
    """What two app processes sharing one Redis show: a page cached by one is served by the
    other; a session opened on one is valid on the other; a publish is visible on both."""
    checks = {}
    # Behind the load balancer both processes see the same Host, hence the same cache key.
    same_host = {"Host": "localhost"}
    first = http(bases[0] + path, headers=same_host)
    checks["first process stores the page (miss)"] = first[1].get("X-Page-Cache") == "miss"
    second = http(bases[1] + path, headers=same_host)
    checks["second process serves it from the shared cache (hit)"] = second[1].get("X-Page-Cache") == "hit"
    cookie = login(bases[0], login_path, probe["username"], probe["password"])
    status, _headers, body = http(bases[1] + path, cookie=cookie)
    checks["session opened on one is valid on the other"] = status == 200 and b"user-name" in body
    marker = f"Accueil publié {secrets.token_hex(4)}"
    script = (
        "from wagtail.models import Page\n"
        "page = Page.objects.get(depth=2, locale__language_code='fr').specific\n"
        f"page.title = {marker!r}\n"
        "page.save_revision().publish()\n"
    )
    run([PY, "manage.py", "shell", "-c", script], env=env, cwd=ROOT)
    started = time.monotonic()
    seen = {}
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(seen) < len(bases):
        for base in bases:
            body = http(base + path, headers=same_host)[2]
            if base not in seen and (marker.encode() in body or html.escape(marker).encode() in body):
                seen[base] = round(time.monotonic() - started, 2)
        time.sleep(0.05)
    checks["a publish is visible on both processes"] = len(seen) == len(bases)
    return {"passed": all(checks.values()), "checks": checks, "publish_visible_after_command_s": seen}


# MediaWiki -------------------------------------------------------------------------------------

MW_ROOT = Path("/usr/share/mediawiki")
MW_PAGE = "Mobilisation_des_connaissances"


def mediawiki_setup(workdir, text_bytes):
    """MediaWiki 1.39 from Debian on SQLite, installed by its command-line installer, with one
    page of the same text as the bare Wagtail page; None when it is not installed."""
    php = shutil.which("php") or "/usr/bin/php"
    fpm = shutil.which("php-fpm8.2") or "/usr/sbin/php-fpm8.2"
    if not (MW_ROOT / "maintenance" / "install.php").exists() or not Path(fpm).exists():
        return None
    home = workdir / "mediawiki"
    if home.exists():
        shutil.rmtree(home)
    (home / "data").mkdir(parents=True)
    (home / "cache").mkdir()
    password = "bench-" + secrets.token_hex(10)
    run([php, str(MW_ROOT / "maintenance" / "install.php"), "--dbtype=sqlite", f"--dbpath={home / 'data'}",
         "--dbname=cop_wiki", "--server=http://127.0.0.1", "--scriptpath=", "--lang=fr",
         f"--pass={password}", f"--confpath={home}", "Wiki CdP", "admin"])  # fmt: skip
    settings = home / "LocalSettings.php"
    settings.write_text(
        settings.read_text()
        + "\n$wgServer = WebRequest::detectServer();\n"
        + "$wgMainCacheType = CACHE_ACCEL;\n$wgParserCacheType = CACHE_ACCEL;\n"
        + "$wgSessionCacheType = CACHE_ACCEL;\n"
        + f'$wgCacheDirectory = "{home / "cache"}";\n'
        + "$wgEnableUploads = false;\n$wgShowExceptionDetails = false;\n"
    )
    paragraph = (
        "La mobilisation des connaissances repose sur des échanges réguliers entre chercheurs, "
        "gestionnaires et cliniciens du réseau de la santé et des services sociaux."
    )
    sections = []
    for number in range(max(1, text_bytes // (len(paragraph.encode()) * 10))):
        sections.append(f"== Section {number + 1} ==\n" + "\n\n".join([paragraph] * 10))
    env = {**os.environ, "MW_CONFIG_FILE": str(settings)}
    text = "\n\n".join(sections)
    edit = [php, str(MW_ROOT / "maintenance" / "edit.php"), "--user", "admin", MW_PAGE]
    subprocess.run(edit, input=text, text=True, env=env, check=True, capture_output=True)
    if os.geteuid() == 0:
        run(["chown", "-R", "www-data:www-data", str(home / "data"), str(home / "cache")])
    return {"home": home, "settings": settings, "password": password, "php": php, "fpm": fpm}


def mediawiki_start(mw, workdir):
    """php-fpm (2 static workers, opcache, APCu) and nginx in front; returns (base, page path,
    cookie of the signed-in admin)."""
    fpm_port, port = free_port(), free_port()
    conf = workdir / "php-fpm.conf"
    conf.write_text(
        f"""[global]
pid = {workdir}/php-fpm.pid
error_log = {workdir}/php-fpm.log
daemonize = no
[www]
user = www-data
group = www-data
listen = 127.0.0.1:{fpm_port}
pm = static
pm.max_children = 2
env[MW_CONFIG_FILE] = {mw["settings"]}
php_admin_value[opcache.enable] = 1
php_admin_value[opcache.validate_timestamps] = 0
php_admin_value[apc.enabled] = 1
php_admin_value[apc.shm_size] = 128M
"""
    )
    start([mw["fpm"], "-F", "-R", "-y", str(conf)], logfile=workdir / "php-fpm.out")
    nginx_conf = workdir / "nginx-mw.conf"
    (workdir / "nginx-mw-tmp").mkdir(exist_ok=True)
    nginx_conf.write_text(
        f"""
worker_processes 1;
pid {workdir}/nginx-mw.pid;
error_log {workdir}/nginx-mw-error.log;
daemon off;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {workdir}/nginx-mw-tmp;
    fastcgi_temp_path {workdir}/nginx-mw-tmp;
    proxy_temp_path {workdir}/nginx-mw-tmp;
    uwsgi_temp_path {workdir}/nginx-mw-tmp;
    scgi_temp_path {workdir}/nginx-mw-tmp;
    server {{
        listen 127.0.0.1:{port};
        root {MW_ROOT};
        location ~ \\.php$ {{
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
            fastcgi_pass 127.0.0.1:{fpm_port};
        }}
    }}
}}
"""
    )
    start(["nginx", "-c", str(nginx_conf), "-p", str(workdir)], logfile=workdir / "nginx-mw.log")
    base = f"http://127.0.0.1:{port}"
    path = f"/index.php?title={MW_PAGE}"
    wait_http(base + path)
    deadline = time.monotonic() + 60
    while http(base + path)[0] != 200 and time.monotonic() < deadline:  # php-fpm still starting
        time.sleep(0.5)
    # Sign in through the API (login token, then clientlogin), keeping the cookies.
    status, headers, body = http(base + "/api.php?action=query&meta=tokens&type=login&format=json")
    jar = cookies_from(headers)
    token = json.loads(body)["query"]["tokens"]["logintoken"]
    data = urllib.parse.urlencode({"action": "clientlogin", "format": "json", "username": "admin",
                                   "password": mw["password"], "logintoken": token,
                                   "loginreturnurl": base + "/"})  # fmt: skip
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    status, headers, body = http(base + "/api.php", cookie=cookie, data=data.encode(),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    if json.loads(body).get("clientlogin", {}).get("status") != "PASS":
        raise RuntimeError(f"MediaWiki login failed: {body[:300]!r}")
    jar.update(cookies_from(headers))
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    page = http(base + path, cookie=cookie)[2]
    if b"admin" not in page.lower():
        raise RuntimeError("MediaWiki page does not show the signed-in user")
    return base, path, cookie, len(page)


# Bare Wagtail --------------------------------------------------------------------------------

BARE_MODEL = """
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.admin.panels import FieldPanel


class HomePage(Page):
    body = RichTextField(blank=True)
    content_panels = Page.content_panels + [FieldPanel("body")]
"""
BARE_TEMPLATE = """{% extends "base.html" %}
{% load wagtailcore_tags %}
{% block content %}<h1>{{ page.title }}</h1>{{ page.body|richtext }}{% endblock %}
"""


def bare_wagtail(workdir, body_bytes):
    """A `wagtail start` project (same virtualenv, same Wagtail) with one rich-text page."""
    project = workdir / "bare"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    run([WAGTAIL, "start", "bare", str(project)])
    (project / "home" / "models.py").write_text(BARE_MODEL)
    (project / "home" / "templates" / "home" / "home_page.html").write_text(BARE_TEMPLATE)
    (project / "bare" / "settings" / "bench.py").write_text(
        "from .base import *  # noqa\n"
        "DEBUG = False\n"
        f"SECRET_KEY = {secrets.token_urlsafe(50)!r}\n"
        "ALLOWED_HOSTS = ['127.0.0.1', 'localhost']\n"
        "STORAGES['staticfiles'] = {'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env["DJANGO_SETTINGS_MODULE"] = "bare.settings.bench"
    run([PY, "manage.py", "makemigrations", "home", "--name", "body"], env=env, cwd=project)
    run([PY, "manage.py", "migrate", "--noinput", "-v0"], env=env, cwd=project)
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=project)
    paragraph = (
        "<p>La mobilisation des connaissances repose sur des échanges réguliers entre chercheurs, "
        "gestionnaires et cliniciens du réseau de la santé et des services sociaux.</p>"
    )
    body = paragraph * max(1, body_bytes // len(paragraph.encode()))
    script = (
        "from home.models import HomePage\n"
        "from django.contrib.auth.models import User\n"
        f"page = HomePage.objects.first(); page.body = {body!r}; page.save_revision().publish()\n"
        "User.objects.filter(username='admin').exists() or "
        "User.objects.create_superuser('admin', 'a@example.org', 'bench-password-2026')\n"
    )
    run([PY, "manage.py", "shell", "-c", script], env=env, cwd=project)
    return project, env


# One configuration ---------------------------------------------------------------------------


def bench_database(db, sizes, options, bare):
    """Every data size on one database: the sizes add up, so the same pages are measured as
    the data around them grows."""
    workdir = Path(options.workdir) / db
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    stop_db = None
    keep = []
    if db == "postgres":
        database_url, stop_db = postgres(workdir)
        # Production runs PostgreSQL with a shared Redis (README): with the database cache
        # every cache read would be one more query per request.
        redis_port = redis(workdir)
        if redis_port:
            # Kept for every size: `stop_servers` ends each size's servers, not this one.
            keep.append(PROCESSES.pop())
        cache_url = f"redis://127.0.0.1:{redis_port}/1" if redis_port else "dbcache://cop_cache"
    else:
        database_url = f"sqlite:///{workdir / 'db.sqlite3'}"
        cache_url = "locmemcache://"
    results = []
    try:
        env = platform_env(workdir, database_url, CACHE_URL=cache_url, PAGE_CACHE_LOCAL="False")
        prepare_seconds = prepare_database(env)
        current = {}
        for number, size in enumerate(sizes):
            result = {"database": db, "size": size, "sizes": dict(SIZES[size]), "targets": {}}
            result["prepare_seconds"] = prepare_seconds
            result["cache"] = cache_url.split(":", 1)[0]
            result.update(grow(env, current, size, large_file=number == 0))
            try:
                measure_config(result, workdir, database_url, cache_url, options, bare)
            finally:
                stop_servers()
            results.append(result)
    finally:
        stop_all()
        PROCESSES.extend(keep)
        stop_all()
        if stop_db:
            stop_db()
    return results


def measure_config(result, workdir, database_url, cache_url, options, bare):
    env = platform_env(workdir, database_url, CACHE_URL=cache_url, PAGE_CACHE_LOCAL="False")
    probe = json.loads(run([PY, str(BENCH / "probe.py")], env=env, cwd=ROOT).stdout.strip().splitlines()[-1])
    result["queries"] = probe["queries"]
    urls = probe["urls"]
    result["urls"] = urls

    app_port, cached_port, varnish_port = free_port(), free_port(), free_port()
    proxy_port, purge_port, pair_port = free_port(), free_port(), free_port()
    # Wagtail purges both shared caches on publish: Varnish and nginx proxy_cache's purge server.
    purge_urls = f"http://127.0.0.1:{varnish_port}"
    if PURGE_MODULE.exists():
        purge_urls += f",http://127.0.0.1:{purge_port}"
    app_env = platform_env(
        workdir,
        database_url,
        CACHE_URL=cache_url,
        PAGE_CACHE_LOCAL="False",
        FRONTEND_CACHE_URL=purge_urls,
    )
    app = gunicorn(app_env, app_port, workdir / "gunicorn-app.log")
    varnish(workdir, app_port, varnish_port)
    # A second app with the per-process page cache (the embedded default), sharing the
    # database; on PostgreSQL its two workers share one cache (the database cache).
    cached_env = platform_env(workdir, database_url, CACHE_URL=cache_url, PAGE_CACHE_LOCAL="True")
    cached = gunicorn(cached_env, cached_port, workdir / "gunicorn-cached.log")

    # Two app processes (one worker each, as on two servers) sharing one Redis: the page
    # cache and the sessions live there, not in either process.
    redis_port = redis(workdir)
    pair_ports, pair_env, pair_processes = [], None, []
    if redis_port:
        pair_env = platform_env(
            workdir,
            database_url,
            CACHE_URL=f"redis://127.0.0.1:{redis_port}/0",
            PAGE_CACHE_LOCAL="True",
            SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        )
        for number in range(2):
            pair_ports.append(free_port())
            pair_processes.append(
                gunicorn(pair_env, pair_ports[-1], workdir / f"gunicorn-pair-{number}.log", workers=1)
            )

    app_base = f"http://127.0.0.1:{app_port}"
    member = login(app_base, urls["login"], probe["username"], probe["password"])
    saved = {
        "home": http(app_base + urls["home"])[2],
        "deliverable": http(app_base + urls["deliverable"])[2],
        "wiki": http(app_base + urls["wiki_page"], cookie=member)[2],
    }
    extra = nginx_proxy_cache(workdir, app_port, proxy_port, purge_port)
    if pair_ports:
        extra += nginx_pair(pair_ports, pair_port)
    nginx_port = nginx(workdir, saved, extra)
    proxy_base = f"http://localhost:{proxy_port}"
    pair_base = f"http://127.0.0.1:{pair_port}"
    bare_project, bare_env = bare
    bare_port = free_port()
    gunicorn(bare_env, bare_port, workdir / "gunicorn-bare.log", cwd=bare_project, module="bare.wsgi")
    bare_base = f"http://127.0.0.1:{bare_port}"
    bare_member = login(bare_base, "/admin/login/", "admin", "bench-password-2026")
    result["page_bytes"] = {k: len(v) for k, v in saved.items()}
    result["bare_page_bytes"] = len(http(bare_base + "/")[2])

    nginx_base = f"http://127.0.0.1:{nginx_port}"
    # "localhost" is the site's host name (load_demo): the address Wagtail purges.
    varnish_base = f"http://localhost:{varnish_port}"
    cached_base = f"http://127.0.0.1:{cached_port}"
    plan = [
        ("nginx static copy of the home page", nginx_base, "/home.html", None),
        ("nginx static copy of the wiki page", nginx_base, "/wiki.html", None),
        ("bare Wagtail page, anonymous", bare_base, "/", None),
        ("bare Wagtail page, signed in", bare_base, "/", bare_member),
        ("home, anonymous, per-process cache", cached_base, urls["home"], None),
        ("home, anonymous, uncached", app_base, urls["home"], None),
        ("deliverable, anonymous, uncached", app_base, urls["deliverable"], None),
        ("workspace home, signed in", app_base, urls["workspace"], member),
        ("wiki page with backlinks, signed in", app_base, urls["wiki_page"], member),
    ]
    if pair_ports:
        pair_member = login(pair_base, urls["login"], probe["username"], probe["password"])
        plan += [
            ("home, anonymous, two app processes, page cache in Redis", pair_base, urls["home"], None),
            ("wiki page, signed in, two app processes, sessions in Redis", pair_base, urls["wiki_page"],
             pair_member),
        ]  # fmt: skip
    if MEDIAWIKI:
        mw_base, mw_path, mw_cookie, result["mediawiki_page_bytes"] = mediawiki_start(MEDIAWIKI, workdir)
        plan.append(("MediaWiki 1.39 page, signed in", mw_base, mw_path, mw_cookie))
    for name, base, path, cookie in plan:
        result["targets"][name] = measure(name, base, path, options, cookie)
    shared_caches = [
        ("home, anonymous, shared cache (Varnish)", varnish_base, urls["home"], JUNK_COOKIES, "home"),
        ("deliverable, anonymous, shared cache (Varnish)", varnish_base, urls["deliverable"], None,
         "deliverable"),
        ("home, anonymous, shared cache (nginx proxy_cache)", proxy_base, urls["home"], JUNK_COOKIES, "home"),
        ("deliverable, anonymous, shared cache (nginx proxy_cache)", proxy_base, urls["deliverable"], None,
         "deliverable"),
    ]  # fmt: skip
    for name, base, path, cookie, page in shared_caches:
        static_url = f"{nginx_base}/{page}.html"
        result["targets"][name] = measure_against_static(name, base, path, options, cookie, static_url)
    if urls.get("search"):
        name = "search (5 FR + 5 EN queries), signed in"
        result["targets"][name] = measure(name, app_base, None, options, member, paths=urls["search"])
    if urls.get("download"):
        # Wagtail's document view serves signed-in readers only; the repository's file view
        # serves a public deliverable's file to anyone.
        signed_in = urls["download"].startswith("/documents/")
        name = "50 MB download, " + ("signed in" if signed_in else "anonymous")
        cookie = member if signed_in else None
        result["targets"][name] = measure(name, app_base, urls["download"], options, cookie, connections=2)
    query_names = {
        "home, anonymous, uncached": "home_anonymous",
        "deliverable, anonymous, uncached": "deliverable_anonymous",
        "workspace home, signed in": "workspace_member",
        "wiki page with backlinks, signed in": "wiki_page_member",
        "search (5 FR + 5 EN queries), signed in": "search_member",
    }
    for name, key in query_names.items():
        if name in result["targets"] and key in result["queries"]:
            result["targets"][name]["queries"] = result["queries"][key][1]
    for name in result["targets"]:
        if "cache" in name:
            result["targets"][name]["queries"] = 0
    result["memory_mb"] = {
        "platform workers": worker_rss(app),
        "platform workers with page cache": worker_rss(cached),
    }
    result["publish_visible_seconds"] = publish_delay(app_env, varnish_base, urls["deliverable"])
    if PURGE_MODULE.exists():
        result["publish_visible_seconds_nginx"] = publish_delay(app_env, proxy_base, urls["deliverable"])
    result["cache_safety"] = cache_safety(app_base, varnish_base, urls, probe, member)
    result["cache_safety_nginx"] = cache_safety(app_base, proxy_base, urls, probe, member)
    if pair_ports:
        result["memory_mb"]["two app processes (one worker each)"] = [
            size for process in pair_processes for size in worker_rss(process)
        ]
        result["two_apps"] = two_apps_check(
            [f"http://127.0.0.1:{port}" for port in pair_ports], pair_env, urls["home"], urls["login"], probe
        )


def stop_servers():
    stop_all()


def stop_process(process):
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)
    PROCESSES.remove(process)


def publish_delay(env, varnish_base, path):
    """Seconds between a publish and the new title served by the shared cache."""
    http(varnish_base + path)
    marker = f"Titre publié {secrets.token_hex(4)}"
    script = (
        "from wagtail.models import Page\n"
        f"page = Page.objects.get(url_path__endswith={path.rstrip('/').rsplit('/', 1)[-1] + '/'!r}, "
        "locale__language_code='fr').specific\n"
        f"page.title = {marker!r}\n"
        "page.save_revision().publish()\n"
    )
    started = time.monotonic()
    run([PY, "manage.py", "shell", "-c", script], env=env, cwd=ROOT)
    published = time.monotonic()
    deadline = published + 30
    while time.monotonic() < deadline:
        if (
            html.escape(marker).encode() in http(varnish_base + path)[2]
            or marker.encode() in http(varnish_base + path)[2]
        ):
            return {
                "after_publish_command_s": round(time.monotonic() - published, 3),
                "publish_command_s": round(published - started, 2),
            }
        time.sleep(0.05)
    return {"after_publish_command_s": None, "publish_command_s": round(published - started, 2)}


def cache_safety(app_base, varnish_base, urls, probe, member):
    """Two people and junk cookies through the shared cache: nobody sees another's page."""
    other_user = re.sub(r"\d+$", lambda m: f"{int(m.group()) + 1:05d}", probe["username"])
    try:
        other = login(app_base, urls["login"], other_user, probe["password"])
    except RuntimeError:
        other = None
    checks = {}
    first = http(varnish_base + urls["home"], cookie=f"{member}; {JUNK_COOKIES}")[2]
    checks["member sees own name"] = probe["username"].encode() in first or b"user-name" in first
    anonymous = http(varnish_base + urls["home"], cookie=JUNK_COOKIES)[2]
    checks["anonymous sees no signed-in page"] = b"user-name" not in anonymous
    if other:
        second = http(varnish_base + urls["home"], cookie=f"{other}; {JUNK_COOKIES}")[2]
        checks["second person sees not the first one's page"] = second != first and b"user-name" in second
    status, headers, _ = http(varnish_base + urls["workspace"], cookie=JUNK_COOKIES)
    checks["private page not served to anonymous"] = status in (302, 403)
    status, headers, _ = http(varnish_base + urls["workspace"], cookie=member)
    checks["private page is Cache-Control private"] = "private" in (headers.get("Cache-Control") or "")
    status, headers, _ = http(varnish_base + urls["workspace"], cookie=JUNK_COOKIES)
    checks["private page still refused after a member's visit"] = status in (302, 403)
    return {"passed": all(checks.values()), "checks": checks}


# Report ----------------------------------------------------------------------------------------


def ratios(config):
    targets = config["targets"]
    nginx = targets.get("nginx static copy of the home page", {}).get("rps")
    nginx_wiki = targets.get("nginx static copy of the wiki page", {}).get("rps")
    bare_anon = targets.get("bare Wagtail page, anonymous", {}).get("rps")
    bare_member = targets.get("bare Wagtail page, signed in", {}).get("rps")
    mediawiki = targets.get("MediaWiki 1.39 page, signed in", {}).get("rps")
    for name, target in targets.items():
        if mediawiki and "wiki page" in name and "signed in" in name:
            target["vs_mediawiki"] = round(target["rps"] / mediawiki, 2)
        reference_nginx = nginx_wiki if "wiki" in name else nginx
        reference_bare = bare_member if "signed in" in name else bare_anon
        if "nginx_static_same_turns_rps" not in target:
            target["vs_nginx"] = round(target["rps"] / reference_nginx, 3) if reference_nginx else None
        target["vs_bare_wagtail"] = round(target["rps"] / reference_bare, 2) if reference_bare else None


def markdown(results):
    lines = [f"# Benchmark {results['date']}", "", results["machine"], ""]
    if results.get("total_seconds"):
        lines += [f"Whole run (data generation included): {results['total_seconds'] / 60:.1f} min.", ""]
    for config in results["configs"]:
        lines += [
            f"## {config['database']}, {config['size']} data {config['sizes']}, "
            f"cache {config.get('cache', '?')}",
            "",
            f"generate_scale_data: {config.get('generate_scale_data_seconds')} s; "
            f"page sizes (bytes): {config.get('page_bytes')}, "
            f"bare Wagtail page {config.get('bare_page_bytes')}",
            "",
            "| target | req/s (16 clients) | p50 / p95 / p99 ms (1 client) | errors | DB queries "
            "| × nginx | × bare Wagtail | × MediaWiki |",
            "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, t in config["targets"].items():
            extra = f" ({t['mb_per_s']} MB/s)" if "download" in name else ""
            lines.append(
                f"| {name} | {t['rps']:,.0f}{extra} | {t['p50_ms']} / {t['p95_ms']} / {t['p99_ms']} "
                f"| {t['errors']} (non-2xx {t['non_2xx']}) | {t.get('queries', '')} "
                f"| {t.get('vs_nginx') if t.get('vs_nginx') is not None else ''} "
                f"| {t.get('vs_bare_wagtail') if t.get('vs_bare_wagtail') is not None else ''} "
                f"| {t.get('vs_mediawiki', '')} |"
            )
        lines += [
            "",
            "- × nginx of a shared cache: against nginx's static copy of the same page with the same "
            "request, their throughput measured in turns (median of five rounds each).",
            f"- Worker memory (RSS MB): {config.get('memory_mb')}",
            f"- Publish visible through the shared cache (Varnish): {config.get('publish_visible_seconds')}",
            f"- Publish visible through nginx proxy_cache: {config.get('publish_visible_seconds_nginx')}",
            f"- Shared-cache safety (two people, junk cookies): {config.get('cache_safety')}",
            f"- The same through nginx proxy_cache: {config.get('cache_safety_nginx')}",
            f"- Two app processes sharing one Redis: {config.get('two_apps')}",
            f"- Queries per view (status, queries, bytes) from the probe: {config.get('queries')}",
            "",
        ]
    return "\n".join(lines)


def chart(results, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("matplotlib missing: no chart (pip install -r bench/requirements.txt)")
        return False
    configs = results["configs"]
    fig, axes = plt.subplots(len(configs), 1, figsize=(11, 4.5 * len(configs)), squeeze=False)
    for ax, config in zip(axes[:, 0], configs, strict=True):
        names = list(config["targets"])
        p50 = [config["targets"][n]["p50_ms"] for n in names]
        p95 = [config["targets"][n]["p95_ms"] for n in names]
        p99 = [config["targets"][n]["p99_ms"] for n in names]
        y = range(len(names))
        ax.barh([i + 0.27 for i in y], p50, height=0.27, label="p50")
        ax.barh(list(y), p95, height=0.27, label="p95")
        ax.barh([i - 0.27 for i in y], p99, height=0.27, label="p99")
        ax.set_yticks(list(y), names, fontsize=8)
        ax.set_xscale("log")
        ax.set_xlabel("one-client latency (ms, log scale)")
        ax.set_title(f"{config['database']}, {config['size']} data")
        ax.invert_yaxis()
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    return True


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="sqlite", help="sqlite, postgres or both: sqlite,postgres")
    parser.add_argument("--size", default="small", help=f"one or more of {', '.join(SIZES)}, comma-separated")
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up before each target")
    parser.add_argument("--repeat", type=int, default=1, help="runs per target (the median is kept)")
    parser.add_argument("--workdir", default="/tmp/cop-bench")
    parser.add_argument("--output", default=str(BENCH / "results"))
    parser.add_argument("--report", help="only write the .md and .png of an existing results .json")
    parser.add_argument("--no-mediawiki", action="store_true", help="skip the MediaWiki comparison")
    options = parser.parse_args()
    if options.report:
        path = Path(options.report)
        results = json.loads(path.read_text())
        path.with_suffix(".md").write_text(markdown(results))
        chart(results, path.with_suffix(".png"))
        print(markdown(results))
        return
    for tool in ("wrk", "nginx", "varnishd"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"{tool} is missing: bench/run installs it")
    os.environ["PATH"] = os.environ.get("PATH", "") + ":/usr/sbin"
    date = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H%M") + "-" + options.db.replace(",", "+")
    machine = (
        f"{os.cpu_count()} CPU cores, loopback; wrk -t2 -c16 (throughput) and -t1 -c1 (latency), "
        f"{options.duration} s per run after {options.warmup} s warm-up, median of {options.repeat}; "
        "gunicorn 2 sync workers, production settings, DEBUG off, access logs off."
    )
    results = {"date": date, "machine": machine, "options": vars(options), "configs": []}
    run_started = time.monotonic()
    output = Path(options.output)
    output.mkdir(parents=True, exist_ok=True)
    try:
        bare = bare_wagtail(Path(options.workdir), 33000)
        global MEDIAWIKI
        MEDIAWIKI = None if options.no_mediawiki else mediawiki_setup(Path(options.workdir), 33000)
        for db in options.db.split(","):
            log(f"=== {db}: {options.size} ===")
            for config in bench_database(
                db.strip(), [x.strip() for x in options.size.split(",")], options, bare
            ):
                ratios(config)
                results["configs"].append(config)
                results["total_seconds"] = round(time.monotonic() - run_started)
                (output / f"{date}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    finally:
        stop_all()
    (output / f"{date}.md").write_text(markdown(results))
    chart(results, output / f"{date}.png")
    log(f"results: {output / date}.json, .md, .png")
    print(markdown(results))


if __name__ == "__main__":
    main()
