"""gunicorn settings for the CoP platform (`gunicorn -c deploy/gunicorn.conf.py config.wsgi`).

Every value can be overridden from the environment of the systemd unit (deploy/systemd/).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: each request holds one worker; pages are database-bound and short, so about two
# per core (benchmarked with 2 on 2 cores: bench/README.md).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Large uploads and the 50 MB downloads stream; give slow clients time.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (memory of long-lived Python processes grows slowly).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Load the application once in the master: workers share its memory pages.
preload_app = True
# nginx (on this host) sets X-Forwarded-Proto; trust it only from there.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# nginx keeps the access log; gunicorn logs errors only.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
