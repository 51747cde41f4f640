"""A small real Django site that reports with Debian's sentry_sdk (DjangoIntegration).

    sentry_site.py DSN REPORT_FILE [MAIL_DIR]

Configured with send_default_pii=True, as many sites run it, so that the SDK
sends POST passwords, locals and cookies in clear: ErrorDeck must scrub them.
ErrorDeck's own ReportFileHandler writes the same failures to REPORT_FILE, so
the test can check that both sources land in one issue; with MAIL_DIR,
Django's own AdminEmailHandler mails ADMINS too (the file backend writes the
messages there), the third source of the same failures. Requests go through
django.core.handlers.wsgi.WSGIHandler (the SDK's event then has the request)
and through django.test.Client. Prints one line per request: "path status".

Run with Debian's python3 (python3-django, python3-sentry-sdk): /usr/bin/python3.
"""

import io
import logging
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(REPO, "packaging", "python"))

import sentry_sdk  # noqa: E402
from sentry_sdk.integrations.django import DjangoIntegration  # noqa: E402
from django.conf import settings  # noqa: E402

DSN, REPORT_FILE = sys.argv[1], sys.argv[2]
MAIL_DIR = sys.argv[3] if len(sys.argv) > 3 else None

# The secrets of this site: none may reach ErrorDeck's database.
POST_PASSWORD = "hunter2-sentry-pw-5c1d"
LOCAL_SECRET = "sk_live_local_9f8e7d6c5b4a"
AUTH_HEADER = "Bearer tok-sentry-3a2b1c0d"
SESSION_COOKIE = "sess-sentry-77aa88bb"

settings.configure(
    DEBUG=False,
    SECRET_KEY="sk-sentry-site-0a1b2c3d4e5f",
    ALLOWED_HOSTS=["shop.example.com", "testserver"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    DATABASES={},
    USE_TZ=True,
    ADMINS=[("Ops", "ops@shop.example.com")],
    SERVER_EMAIL="django@shop.example.com",
    EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
    EMAIL_FILE_PATH=MAIL_DIR or "/nonexistent",
    LOGGING={
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {
            "errordeck": {
                "level": "WARNING",
                "class": "errordeck_django.ReportFileHandler",
                "filename": REPORT_FILE,
                "maxBytes": 0,
                "backupCount": 0,
            },
            "mail_admins": {"level": "ERROR", "class": "django.utils.log.AdminEmailHandler"},
        },
        "loggers": {
            "django": {"handlers": ["errordeck"] + ([] if MAIL_DIR is None else ["mail_admins"]),
                       "level": "WARNING", "propagate": False},
            "shop": {"handlers": ["errordeck"], "level": "WARNING", "propagate": True},
        },
    },
)

sentry_sdk.init(
    dsn=DSN,
    integrations=[DjangoIntegration()],
    send_default_pii=True,
    release="shop@2.3.4",
    environment="staging",
    auto_session_tracking=True,
)

import django  # noqa: E402

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import path  # noqa: E402

logger = logging.getLogger("shop.payments")


def parse_order(raw):
    return int(raw)


def view_chain(request, oid):
    try:
        parse_order("x%d" % oid)
    except ValueError as exc:
        raise RuntimeError("order service broke") from exc


def view_checkout(request):
    password = request.POST.get("password")
    api_key = LOCAL_SECRET
    logger.warning("checkout started for %s", request.POST.get("user"))
    return HttpResponse(str(len(password + api_key) / 0))


def view_log(request):
    logger.warning("card declined once, retrying")
    logger.error("payment failed for order %s", 17)
    return HttpResponse("logged")


urlpatterns = [
    path("shop/order/<int:oid>/", view_chain),
    path("shop/checkout/", view_checkout),
    path("shop/pay/", view_log),
]


def wsgi(method, url, body=b"", content_type="", headers=None):
    """One request through Django's WSGIHandler, as a WSGI server makes it."""
    path_info, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SERVER_NAME": "shop.example.com",
        "SERVER_PORT": "80",
        "HTTP_HOST": "shop.example.com",
        "REMOTE_ADDR": "10.1.2.3",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": content_type,
    }
    for k, v in (headers or {}).items():
        environ["HTTP_" + k.upper().replace("-", "_")] = v
    status = []
    app = WSGIHandler()
    out = b"".join(app(environ, lambda s, h, exc_info=None: status.append(s)))
    del out
    print(url, status[0].split()[0], flush=True)


wsgi("GET", "/shop/order/7/?ref=mail")
wsgi(
    "POST",
    "/shop/checkout/?step=2",
    body=("user=ana&password=" + POST_PASSWORD).encode(),
    content_type="application/x-www-form-urlencoded",
    headers={"Authorization": AUTH_HEADER, "Cookie": "sessionid=" + SESSION_COOKIE, "User-Agent": "proof/1.0"},
)
wsgi("GET", "/shop/pay/")
client = Client(raise_request_exception=False, HTTP_HOST="shop.example.com")
r = client.get("/shop/order/8/")
print("/shop/order/8/ (test client)", r.status_code, flush=True)
sentry_sdk.flush(timeout=30)
client_obj = sentry_sdk.Hub.current.client
if client_obj is not None:
    client_obj.close(timeout=30)
print("flushed", flush=True)
