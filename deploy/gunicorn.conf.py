"""gunicorn settings for the heritage archive (deploy/systemd/heritage.service starts it with -c this file)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "unix:/run/heritage/gunicorn.sock")
# Pages are mostly served from the full-page cache; two workers per core leave room for the admin.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))  # imports and PDF plaques can take a while
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then so that no leak grows unbounded
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
