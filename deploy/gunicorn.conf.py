"""gunicorn settings for chibo: `gunicorn -c deploy/gunicorn.conf.py` (see deploy/OPERATIONS.md)."""

import multiprocessing
import os

wsgi_app = "chibo.wsgi:application"
# Behind nginx on the same machine only.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# 2 * cores + 1: 5 on the reference 2-core server.
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
# Workers are forked from a master that has loaded Django, imported every view and compiled
# the templates (chibo/warmup.py): a new or recycled worker is fast from its first request.
preload_app = True
# Rendering a minutes PDF on finalisation takes seconds; nothing legitimate takes a minute.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow for weeks.
max_requests = 2000
max_requests_jitter = 200
# nginx on loopback sets X-Forwarded-Proto/For; gunicorn believes the scheme only from there.
# Keep in step with CHIBO_TRUSTED_PROXIES, where the app believes the client's address from.
forwarded_allow_ips = "127.0.0.1,::1"
proc_name = "chibo"

# To stdout/stderr, i.e. journald. The X-Request-ID response header is the id that
# RequestIdMiddleware used (nginx's $request_id when it came through nginx), so an access
# line and the application's log lines of one request share it.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# %(h)s is nginx (127.0.0.1); client= is the address nginx saw (X-Forwarded-For, which it overwrites).
access_log_format = (
    '%(h)s client=%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s "%(a)s"'
)
# systemd manages the process (reload = HUP); no control socket in the service's home.
control_socket_disable = True


def when_ready(server):
    # In the master, after the application is loaded and before the workers are forked.
    from chibo.warmup import warm_up

    warm_up()
