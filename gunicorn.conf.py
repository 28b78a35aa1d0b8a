"""gunicorn settings for `make serve`; each can be overridden by an environment variable."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
# gthread, answering a URL gunicorn refuses for raw UTF-8 with a problem document.
worker_class = "api.server.Worker"
threads = int(os.environ.get("THREADS", 1))
graceful_timeout = int(os.environ.get("GRACEFUL_TIMEOUT", 30))
timeout = int(os.environ.get("TIMEOUT", 60))
# A worker takes no more connections than it has threads. gthread workers otherwise accept
# every connection they can (1,000 by default), so one worker may take all of a client's
# kept-alive connections and serve them on one core while the others idle (the benchmark
# saw throughput halve that way). With as many connections as threads, none is kept alive
# between requests: a client or proxy opens one per request, and each new one goes to
# whichever worker is free.
worker_connections = int(os.environ.get("WORKER_CONNECTIONS", threads))
keepalive = 5 if worker_connections > threads else 0
# The longest request line gunicorn reads (its most): a URL up to the app's limit
# (api.http.query_string.MAX_URL_LENGTH) is answered by the app, a longer one by the
# worker (api.server), both with a 414 problem document.
limit_request_line = 8190
max_requests = int(os.environ.get("MAX_REQUESTS", 0))
max_requests_jitter = max_requests // 10
accesslog = "-"
