"""The long security runs that are not part of the test suite: load with nothing lost, and sqlmap.

    ./manage.py security_suite                       # 50 members for 5 minutes, then sqlmap
    ./manage.py security_suite --users 10 --duration 20 --skip-sqlmap   # a quick look
    bench/load ...                                   # the same

Everything runs on loopback against a throwaway database made here: PostgreSQL (a cluster
made with initdb in a temporary folder, on a random port; `--db sqlite` for a file), migrated
and filled with `load_demo`, then served by gunicorn (3 workers × 4 threads, DEBUG off, errors
logged to a file). Steps:

1. load: locust (bench/load_locustfile.py) with N simulated members searching, reading,
   downloading (accepting a licence), editing wiki pages in the administration and adding files
   to deliverables; then every acknowledged edit, upload and acceptance is looked for in the
   database (`operations.loadtest.verify`), server errors (5xx) are counted and the error log
   must be empty;
2. sqlmap against the search parameters (q and the filters), the repository's filters and the
   OAI-PMH arguments, as a signed-in member, each target bounded in time.

The report goes to bench/results/load-<date>.md (and .json); the exit status is non-zero when a
write was lost, a 5xx was answered, the error log is not empty or sqlmap found an injection.
"""

import contextlib
import datetime
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

ROOT = Path(settings.BASE_DIR)
PYTHON = sys.executable
VENV_BIN = Path(PYTHON).parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def find_pg_bin():
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if candidates:
        return candidates[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary folder, on a random loopback port."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.bin = find_pg_bin()
        if self.bin is None:
            raise CommandError("PostgreSQL server binaries (initdb) not found: apt-get install postgresql")
        self.port = free_port()
        self.password = secrets.token_hex(16)
        self.prefix = []
        if os.getuid() == 0:  # initdb refuses to run as root
            owner = "postgres"
            subprocess.run(["id", owner], check=True, capture_output=True)  # noqa: S603, S607
            shutil.chown(self.folder, owner)
            self.prefix = ["runuser", "-u", owner, "--"]

    def run(self, program, *args):
        subprocess.run(  # noqa: S603 - PostgreSQL's own programs, arguments built here
            [*self.prefix, str(self.bin / program), *args], check=True, capture_output=True, cwd=self.folder
        )

    def start(self):
        pwfile = self.folder / "pwfile"
        pwfile.write_text(self.password)
        if self.prefix:
            shutil.chown(pwfile, self.prefix[2])
        self.run(
            "initdb",
            "-D",
            str(self.folder / "data"),
            "-U",
            "cop",
            f"--pwfile={pwfile}",
            "--auth=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} "
            "-c max_connections=200 -c fsync=off"
        )
        self.run(
            "pg_ctl",
            "-D",
            str(self.folder / "data"),
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        )
        subprocess.run(  # noqa: S603
            [str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "cop", "cop"],
            check=True,
            capture_output=True,
            env={**os.environ, "PGPASSWORD": self.password},
        )
        return f"postgres://cop:{self.password}@127.0.0.1:{self.port}/cop"

    def stop(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "stop")


class Command(BaseCommand):
    help = "Load with nothing lost (locust) and SQL injection scan (sqlmap), on loopback."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--duration", type=int, default=300, help="Seconds of load.")
        parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
        parser.add_argument("--keep", action="store_true", help="Keep the temporary folder (debugging).")
        parser.add_argument("--skip-load", action="store_true")
        parser.add_argument("--skip-sqlmap", action="store_true")
        parser.add_argument(
            "--sqlmap-seconds", type=int, default=90, help="Time limit of each sqlmap target."
        )
        parser.add_argument(
            "--report", default="", help="Report path (default bench/results/load-<date>.md)."
        )
        # Internal: the phases that run inside the throwaway database's environment.
        parser.add_argument("--phase", choices=["setup", "verify"], help=argparse_suppress())
        parser.add_argument("--file", default="", help=argparse_suppress())

    def handle(self, *args, **options):
        if options["phase"]:
            return self.phase(options["phase"], options["file"], options["users"])
        work = Path(tempfile.mkdtemp(prefix="cop-security-"))
        os.chmod(work, 0o755)  # noqa: S103 - the PostgreSQL owner must reach its data folder
        result = {
            "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "options": {k: options[k] for k in ("users", "duration", "db", "sqlmap_seconds")},
        }
        database = None
        server = None
        try:
            if options["db"] == "postgres":
                (work / "pg").mkdir()
                database = ThrowawayPostgres(work / "pg")
                url = database.start()
            else:
                url = f"sqlite:///{work / 'load.sqlite3'}"
            env = self.environment(url, work)
            self.say("Preparing the database (migrate, load_demo, load accounts)")
            self.manage(env, "migrate", "--noinput", "-v", "0")
            self.manage(env, "load_demo")
            self.manage(
                env,
                "security_suite",
                "--phase",
                "setup",
                "--users",
                str(options["users"]),
                "--file",
                str(work / "targets.json"),
            )
            targets = json.loads((work / "targets.json").read_text())
            port = free_port()
            server, error_log = self.start_server(env, port, work)
            base = f"http://127.0.0.1:{port}"
            if not options["skip_load"]:
                result["load"] = self.load(env, base, work, options, error_log)
            if not options["skip_sqlmap"]:
                result["sqlmap"] = self.sqlmap(base, targets, work, options["sqlmap_seconds"])
            result["error_log"], result["client_error_warnings"] = split_log(error_log.read_text())
        finally:
            if server is not None:
                server.send_signal(signal.SIGTERM)
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    server.kill()
            if database is not None:
                database.stop()
            if not options.get("keep"):
                shutil.rmtree(work, ignore_errors=True)
        result["finished"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        report = self.write_report(result, options["report"])
        failed = self.failures(result)
        for line in failed:
            self.stderr.write(line)
        self.say(f"Report: {report}")
        if failed:
            raise CommandError("security suite: failures (see the report)")
        self.say("security suite: nothing lost, no 5xx, empty error log, no injection found")

    # --- phases inside the throwaway database --------------------------------------------

    def phase(self, name, path, users):
        from operations import loadtest

        if name == "setup":
            Path(path).write_text(json.dumps(loadtest.setup(users)))
        else:
            acks = json.loads(Path(path).read_text())
            self.stdout.write(json.dumps(loadtest.verify(acks)))

    # --- helpers -------------------------------------------------------------------------

    def say(self, text):
        self.stdout.write(f"==> {text}")

    def environment(self, url, work):
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "ELASTICSEARCH_URL"}}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings.dev",
                "DEBUG": "False",
                "DATABASE_URL": url,
                "MEDIA_ROOT": str(work / "media"),
                "STATIC_ROOT": str(work / "static"),
                "PAGE_CACHE_STAMP": str(work / "page-cache-generation"),
                "LOG_LEVEL": "ERROR",
                # Locust's members share one address: throttling would only measure axes.
                "AXES_FAILURE_LIMIT": "1000",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "EMAIL_URL": "consolemail://",
            }
        )
        return env

    def manage(self, env, *args, capture=False):
        completed = subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        if completed.returncode != 0:
            raise CommandError(
                f"manage.py {' '.join(args)} failed:\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"
            )
        return completed.stdout

    def start_server(self, env, port, work):
        self.manage(env, "collectstatic", "--noinput", "-v", "0")
        error_log = work / "server-errors.log"
        error_log.touch()
        server = subprocess.Popen(  # noqa: S603
            [
                str(VENV_BIN / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "3",
                "--threads",
                "4",
                "--worker-class",
                "gthread",
                "--timeout",
                "120",
                # Longer than locust's pauses between requests: with gunicorn's default (2 s) a
                # request sent as the server closes an idle keep-alive connection is reset.
                "--keep-alive",
                "30",
                "--log-level",
                "warning",
                "--error-logfile",
                str(error_log),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(error_log, "a"),  # noqa: SIM115 - Django's error log (stderr) goes here too
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=5)
                return server, error_log
            except OSError:
                time.sleep(0.5)
        server.kill()
        raise CommandError(f"gunicorn did not start:\n{error_log.read_text()[-3000:]}")

    def load(self, env, base, work, options, error_log):
        self.say(f"Load: {options['users']} members for {options['duration']} s")
        acks = work / "acks.json"
        load_env = {**env, "COP_LOAD_TARGETS": str(work / "targets.json"), "COP_LOAD_ACKS": str(acks)}
        started = time.monotonic()
        completed = subprocess.run(  # noqa: S603
            [
                str(VENV_BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "load_locustfile.py"),
                "--headless",
                "--host",
                base,
                "--users",
                str(options["users"]),
                "--spawn-rate",
                str(max(1, options["users"] // 10)),
                "--run-time",
                f"{options['duration']}s",
                "--stop-timeout",
                "30",
                "--csv",
                str(work / "locust"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=load_env,
            capture_output=True,
            text=True,
            check=False,
            timeout=options["duration"] + 180,
        )
        elapsed = round(time.monotonic() - started)
        if not acks.exists():
            raise CommandError(
                f"locust wrote no acknowledgements:\n{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"
            )
        acknowledged = json.loads(acks.read_text())
        verified = json.loads(
            self.manage(env, "security_suite", "--phase", "verify", "--file", str(acks))
            .strip()
            .splitlines()[-1]
        )
        stats = self.locust_stats(work / "locust_stats.csv")
        return {
            "seconds": elapsed,
            "statuses": acknowledged["statuses"],
            "server_errors": acknowledged["server_errors"][:50],
            "checked": verified["checked"],
            "lost": verified["lost"],
            "requests": stats,
            "locust_exit": completed.returncode,
        }

    def locust_stats(self, path):
        import csv

        if not path.exists():
            return []
        with open(path, newline="") as handle:
            return [
                {
                    "name": row["Name"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "median_ms": row["Median Response Time"],
                    "p95_ms": row.get("95%", ""),
                    "rps": row["Requests/s"],
                }
                for row in csv.DictReader(handle)
            ]

    def sqlmap(self, base, targets, work, seconds):
        """sqlmap on each parameterised address; bounded by --sqlmap-seconds per target."""
        cookie = self.member_cookie(base, targets)
        search = targets["search_url"]
        repository = targets.get("repository_url", "/fr/depot/")
        cases = [
            ("search q", f"{base}{search}?q=sante", "q"),
            (
                "search filters",
                f"{base}{search}?q=guide&workspace=1&kind=wiki&deliverable_type=report&lang=fr&tag=x&year=2024&licence=1&sort=date",
                "workspace,kind,deliverable_type,lang,tag,year,licence,sort",
            ),
            (
                "repository filters",
                f"{base}{repository}?workspace=1&type=report&year=2024&subject=x&licence=1&language=fr",
                "workspace,type,year,subject,licence,language",
            ),
            (
                "OAI-PMH arguments",
                f"{base}/oai/?verb=ListRecords&metadataPrefix=oai_dc&set=x&from=2024-01-01&until=2026-01-01",
                "verb,metadataPrefix,set,from,until",
            ),
            (
                "OAI-PMH identifier",
                f"{base}/oai/?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:x:1",
                "identifier",
            ),
        ]
        results = []
        for label, url, parameters in cases:
            self.say(f"sqlmap: {label}")
            output_dir = work / "sqlmap" / re.sub(r"\W+", "-", label)
            output_dir.mkdir(parents=True)
            command = [
                str(VENV_BIN / "sqlmap"),
                "-u",
                url,
                "-p",
                parameters,
                "--batch",
                "--level",
                "2",
                "--risk",
                "1",
                "--threads",
                "2",
                "--timeout",
                "15",
                "--retries",
                "1",
                "--time-sec",
                "3",
                "--output-dir",
                str(output_dir),
                "--disable-coloring",
                "--skip-waf",
                "--flush-session",
            ]
            if cookie:
                command += ["--cookie", cookie]
            started = time.monotonic()
            try:
                completed = subprocess.run(  # noqa: S603 - sqlmap from the venv, arguments built here
                    command, capture_output=True, text=True, timeout=seconds, check=False
                )
                output, finished = completed.stdout, True
            except subprocess.TimeoutExpired as timeout:
                output = (
                    (timeout.stdout or b"").decode("utf-8", "replace")
                    if isinstance(timeout.stdout, bytes)
                    else (timeout.stdout or "")
                )
                finished = False
            injectable = re.findall(r"parameter '([^']+)' (?:is|appears to be) '?[^\n]*injectable", output)
            injectable = [m for m in injectable if "not" not in m]
            vulnerable = bool(re.search(r"sqlmap identified the following injection point", output))
            results.append(
                {
                    "target": label,
                    "url": url.replace(base, ""),
                    "parameters": parameters,
                    "seconds": round(time.monotonic() - started),
                    "finished": finished,
                    "injection_found": vulnerable,
                    "verdict": self.sqlmap_verdict(output, vulnerable, finished),
                }
            )
        return results

    @staticmethod
    def sqlmap_verdict(output, vulnerable, finished):
        if vulnerable:
            return "INJECTION FOUND"
        if "all tested parameters do not appear to be injectable" in output:
            return "no injection (all tested parameters)"
        if not finished:
            tested = len(re.findall(r"testing '", output))
            return f"time limit reached after {tested} tests, no injection found"
        last = [line for line in output.splitlines() if line.strip()][-1:] or [""]
        return f"finished, no injection reported ({last[0][:120]})"

    def member_cookie(self, base, targets):
        """Session cookie of one load account, so that sqlmap sees what a member sees."""
        import http.cookiejar
        import urllib.parse

        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        login = base + targets["login_url"]
        page = opener.open(login, timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        data = urllib.parse.urlencode(
            {
                "username": targets["users"][0],
                "password": targets["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            }
        ).encode()
        request = urllib.request.Request(login, data=data, headers={"Referer": login})  # noqa: S310
        try:
            opener.open(request, timeout=30)
        except OSError:
            return ""
        return "; ".join(f"{c.name}={c.value}" for c in jar)

    def write_report(self, result, path):
        day = datetime.date.today().isoformat()
        path = Path(path) if path else ROOT / "bench" / "results" / f"load-{day}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.with_suffix(".json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
        lines = [
            f"# Security suite — {day}",
            "",
            f"`manage.py security_suite` ({result['options']}), "
            f"started {result['started']}, finished {result['finished']}.",
            "",
        ]
        load = result.get("load")
        if load:
            statuses = ", ".join(f"{k}: {v}" for k, v in sorted(load["statuses"].items()))
            server_errors = sum(v for k, v in load["statuses"].items() if k.startswith("5") or k == "0")
            checked = load["checked"]
            lines += [
                "## Load with nothing lost",
                "",
                f"- {result['options']['users']} simulated members for {load['seconds']} s against "
                f"gunicorn (3 workers × 4 threads) on {result['options']['db']}.",
                f"- Responses by status: {statuses}.",
                f"- Server errors (5xx or no answer): **{server_errors}**.",
                "- Acknowledged writes checked in the database: "
                f"{checked['edits']} edits, {checked['uploads']} uploads, "
                f"{checked['acceptances']} licence acceptances; **lost: {len(load['lost'])}**.",
                f"- Error log lines: **{len(result.get('error_log', []))}** "
                f"({result.get('client_error_warnings', 0)} refused requests (4xx) logged as warnings).",
                "",
                "| request | count | failures | median ms | p95 ms | req/s |",
                "| --- | ---: | ---: | ---: | ---: | ---: |",
            ]
            lines += [
                f"| {r['name']} | {r['requests']} | {r['failures']} | {r['median_ms']} "
                f"| {r['p95_ms']} | {float(r['rps'] or 0):.2f} |"
                for r in load["requests"]
            ]
            if load["lost"]:
                lines += ["", "Lost writes:", ""] + [f"- {item}" for item in load["lost"][:50]]
            if load["server_errors"]:
                lines += ["", "Server errors:", ""] + [f"- `{item}`" for item in load["server_errors"][:20]]
            lines.append("")
        if result.get("error_log"):
            lines += ["Error log (first lines):", "", "```", *result["error_log"][:40], "```", ""]
        if result.get("sqlmap"):
            lines += [
                "## sqlmap",
                "",
                "| target | parameters | seconds | verdict |",
                "| --- | --- | ---: | --- |",
            ]
            lines += [
                f"| {r['target']} (`{r['url']}`) | {r['parameters']} | {r['seconds']} | {r['verdict']} |"
                for r in result["sqlmap"]
            ]
            lines.append("")
        path.write_text("\n".join(lines))
        return path

    @staticmethod
    def failures(result):
        failed = []
        load = result.get("load")
        if load:
            if load["lost"]:
                failed.append(f"{len(load['lost'])} acknowledged writes lost")
            errors = sum(v for k, v in load["statuses"].items() if k.startswith("5") or k == "0")
            if errors:
                failed.append(f"{errors} server errors")
        if result.get("error_log"):
            failed.append(f"{len(result['error_log'])} lines in the error log")
        for item in result.get("sqlmap", []):
            if item["injection_found"]:
                failed.append(f"sqlmap: injection found in {item['target']}")
        return failed


# Django logs refused requests (4xx) as warnings, with their traceback: counted, not errors.
CLIENT_ERROR = re.compile(r"^(Forbidden|Not Found|Bad Request|Method Not Allowed|Gone|Unauthorized|Too Many)")
CONTINUATION = re.compile(
    r"^(\s|Traceback|During handling|The above exception"
    r"|[\w.]+(Error|Exception|Denied|DoesNotExist|Http404)\b)"
)


def split_log(text):
    """(error entries, number of 4xx warnings) of the server's log."""
    errors, warnings, current_is_error = [], 0, False
    for line in text.splitlines():
        if not line.strip():
            continue
        if CONTINUATION.match(line):
            if current_is_error:
                errors.append(line)
            continue
        current_is_error = not CLIENT_ERROR.match(line)
        if current_is_error:
            errors.append(line)
        else:
            warnings += 1
    return errors, warnings


def argparse_suppress():
    import argparse

    return argparse.SUPPRESS
