"""A small real Django site that fails in all the ways of the corpus.

Used by the handler tests (handler_support.py) and make_site_output.py.  It is configured like the
site that produced tests/data/corpus: DEBUG = False, ADMINS, MANAGERS,
BrokenLinkEmailsMiddleware, IGNORABLE_404_URLS, INTERNAL_IPS, and LOGGING with
both Django's AdminEmailHandler(include_html=True) and ErrorDeck's
ReportFileHandler on the "django" and "shop" loggers.  Mail goes to the locmem
backend (django.core.mail.outbox) so tests can compare the two outputs.

Run with Debian's python3-django: /usr/bin/python3.
"""

import logging
import os
import sys
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))  # tests/integration/python
# Test the handler in this tree, not one that may be installed.
sys.path.insert(0, os.path.join(REPO, "packaging", "python"))

import errordeck_django  # noqa: E402
from django.conf import settings  # noqa: E402

# Secrets that Django masks in its reports (they must never reach a report).
SECRET_KEY = "sk-test-5e1f0c4d8a2b7e9f3c6d1a0b"
DB_PASSWORD = "dbpw-test-9c8b7a6f5e4d"
PAYMENT_API_KEY = "rk_test_1d2c3b4a5f6e7d8c"
SETTINGS_SECRETS = [SECRET_KEY, DB_PASSWORD, PAYMENT_API_KEY]

SESSION_COOKIE = "sess-test-77aa88bb99cc"
HOST = "shop.example.com"


def configure(report_path=None, extra_handler_options=None, logging_config=None):
    """Configure Django for this site (once per process) and set it up.

    report_path: where the ReportFileHandler writes; None leaves it out of
    LOGGING (for worker processes that attach their own handlers).
    logging_config: a whole LOGGING setting to use instead of ours.
    """
    if settings.configured:
        return
    handlers = {
        "mail_admins": {
            "level": "ERROR",
            "class": "django.utils.log.AdminEmailHandler",
            "include_html": True,
        },
    }
    used = ["mail_admins"]
    if report_path is not None:
        # This is the snippet documented in packaging/python/README.md.
        handlers["errordeck"] = {
            "level": "WARNING",
            "class": "errordeck_django.ReportFileHandler",
            "filename": report_path,
            "maxBytes": 0,
            "backupCount": 0,
        }
        handlers["errordeck"].update(extra_handler_options or {})
        used.append("errordeck")
    settings.configure(
        DEBUG=False,
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS=[HOST, "testserver"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[],
        MIDDLEWARE=[
            "django.middleware.common.BrokenLinkEmailsMiddleware",
            "django.middleware.common.CommonMiddleware",
        ],
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": ":memory:",
                "PASSWORD": DB_PASSWORD,
            }
        },
        PAYMENTS={"provider": "acme", "API_KEY": PAYMENT_API_KEY},
        ADMINS=[("Ops Team", "ops@example.com"), ("Ana Lima", "ana@example.com")],
        MANAGERS=[("Web Team", "web@example.com")],
        SERVER_EMAIL="errors@shop.example.com",
        EMAIL_SUBJECT_PREFIX="[Shop] ",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        INTERNAL_IPS=["10.0.0.5"],
        IGNORABLE_404_URLS=[
            __import__("re").compile(r"\.(php|cgi)$"),
            __import__("re").compile(r"^/phpmyadmin/"),
            __import__("re").compile(r"^/favicon\.ico$"),
            __import__("re").compile(r"^/robots\.txt$"),
        ],
        USE_TZ=True,
        TIME_ZONE="America/Chicago",
        LOGGING=logging_config or {
            "version": 1,
            "disable_existing_loggers": False,
            "handlers": handlers,
            "loggers": {
                "django": {"handlers": used, "level": "WARNING", "propagate": False},
                "shop": {"handlers": used, "level": "WARNING", "propagate": False},
            },
        },
    )
    import django

    django.setup()
    # The test client keeps mail in django.core.mail.outbox only once the
    # test environment is set up (it swaps in the locmem backend and creates
    # the outbox); we configured locmem ourselves, so just make sure there is
    # an outbox to append to.
    from django.core import mail

    if not hasattr(mail, "outbox"):
        mail.outbox = []


# ----------------------------------------------------------------------
# Views
# ----------------------------------------------------------------------

from django.core.exceptions import SuspiciousOperation  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import Http404, HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.debug import ExceptionReporter  # noqa: E402
from django.views.decorators.debug import (  # noqa: E402
    sensitive_post_parameters,
    sensitive_variables,
)

logger = logging.getLogger("shop.payments")

CARD_IN_VARIABLE = "4111111111111111"


def _helper_lookup(catalog, key):
    return catalog[key]


def _helper_mid(catalog, key):
    return _helper_lookup(catalog, key) * 2


def view_zero(request, oid):
    amount = 10 * oid
    count = 0
    return HttpResponse(str(amount / count))


def view_keyerror(request):
    catalog = {"apple": 1, "pear": 2}
    return HttpResponse(str(_helper_mid(catalog, request.GET.get("item", "plum"))))


@sensitive_variables("password", "card")
def view_sensitive_vars(request):
    password = request.POST.get("password", "")
    card = CARD_IN_VARIABLE
    username = "bob"
    raise ValueError("login failed for %s (%d)" % (username, len(password + card)))


@sensitive_post_parameters("password", "card_number")
def view_sensitive_post(request):
    request.POST.get("name")
    raise PermissionError("payment declined")


def view_plain_post(request):
    request.POST.get("username")
    raise RuntimeError("signup failed")


def view_chain(request):
    try:
        raise ConnectionError("gateway timeout after 30s")
    except ConnectionError as exc:
        raise RuntimeError("payment gateway failed") from exc


def view_implicit_chain(request):
    cart = {}
    try:
        return HttpResponse(cart["missing"])
    except KeyError:
        return HttpResponse(str(1 / len(cart)))


def view_unicode(request):
    raise ValueError("Zahlung für Größe ✓ fehlgeschlagen — 注文 №42")


def view_long(request):
    assert False, "x" * 5000 + " END"


def _recurse(n):
    return _recurse(n + 1)


def view_recursion(request):
    return _recurse(0)


def view_db(request):
    with connection.cursor() as c:
        c.execute("SELECT * FROM orders_order")
    return HttpResponse("unreachable")


def view_suspicious(request):
    raise SuspiciousOperation("tampered signature")


def view_ok(request):
    return HttpResponse("ok")


def view_log_error(request):
    logger.error(
        "Webhook %s rejected: bad signature", "evt_1",
        extra={"status_code": 400, "event_type": "charge.refunded",
               "amount": Decimal("12.50"), "attempt": 3},
    )
    return HttpResponse("logged")


def view_log_exception(request):
    try:
        int("not-a-number")
    except ValueError:
        logger.exception("Could not parse refund amount")
    return HttpResponse("logged")


class _Unprintable:
    def __repr__(self):
        raise RuntimeError("repr exploded")


def view_broken_repr(request):
    thing = _Unprintable()
    raise LookupError("no such thing: %s" % type(thing).__name__)


def view_product(request, pid):
    if pid % 100 == 99:
        return HttpResponse("product %d" % pid)
    raise Http404("No product %d" % pid)


urlpatterns = [
    path("orders/<int:oid>/total/", view_zero),
    path("api/items/", view_keyerror),
    path("account/login/", view_sensitive_vars),
    path("checkout/pay/", view_sensitive_post),
    path("signup/", view_plain_post),
    path("payments/charge/", view_chain),
    path("cart/merge/", view_implicit_chain),
    path("i18n/", view_unicode),
    path("reports/long/", view_long),
    path("tree/", view_recursion),
    path("orders/", view_db),
    path("webhooks/verify/", view_suspicious),
    path("webhooks/log/", view_log_error),
    path("refunds/", view_log_exception),
    path("things/", view_broken_repr),
    path("ok/", view_ok),
    path("products/<int:pid>/", view_product),
]


# ----------------------------------------------------------------------
# The requests of the corpus, one of each kind
# ----------------------------------------------------------------------

class Scenario:
    """One request to the site and what Django is expected to do with it."""

    def __init__(self, kind, method, url, status, exception=None, records=1,
                 mails=1, data=None, referer=None, remote_addr="203.0.113.15",
                 host=HOST, secrets=(), masked_post=(), masked_vars=()):
        self.kind = kind
        self.method = method
        self.url = url
        self.status = status
        self.exception = exception
        self.records = records
        self.mails = mails
        self.data = data
        self.referer = referer
        self.remote_addr = remote_addr
        self.host = host
        # Values posted to the site that Django masks: none may be in a report.
        self.secrets = tuple(secrets)
        self.masked_post = tuple(masked_post)
        self.masked_vars = tuple(masked_vars)

    def __repr__(self):
        return "<Scenario %s %s %s>" % (self.kind, self.method, self.url)

    def send(self, client):
        extra = {"REMOTE_ADDR": self.remote_addr, "HTTP_HOST": self.host,
                 "HTTP_COOKIE": "sessionid=" + SESSION_COOKIE}
        if self.referer:
            extra["HTTP_REFERER"] = self.referer
        if self.method == "POST":
            return client.post(self.url, self.data or {}, **extra)
        return client.get(self.url, **extra)


SCENARIOS = [
    Scenario("zero", "GET", "/orders/597/total/", 500, "ZeroDivisionError"),
    Scenario("keyerror", "GET", "/api/items/?item=kiwi", 500, "KeyError",
             remote_addr="10.0.0.5"),
    Scenario("sensitive_vars", "POST", "/account/login/", 500, "ValueError",
             data={"password": "pw-sv-0b1c2d3e4f"},
             # The password reaches the view as request.POST, which Django
             # only masks with @sensitive_post_parameters: here it is the
             # local variables that must be masked.
             masked_vars=("password", "card"), secrets=(CARD_IN_VARIABLE,)),
    Scenario("sensitive_post", "POST", "/checkout/pay/", 500, "PermissionError",
             data={"password": "pw-sp-5a6b7c8d9e", "card_number": "4242424242424242",
                   "name": "Carol"},
             masked_post=("password", "card_number"),
             secrets=("pw-sp-5a6b7c8d9e", "4242424242424242")),
    Scenario("plain_post", "POST", "/signup/", 500, "RuntimeError",
             data={"username": "dave", "password": "pw-plain-1234",
                   "note": "card 5555 5555 5555 4444 please"}),
    Scenario("chain", "GET", "/payments/charge/", 500, "RuntimeError",
             remote_addr="10.0.0.5"),
    Scenario("implicit_chain", "GET", "/cart/merge/", 500, "ZeroDivisionError"),
    Scenario("unicode", "GET", "/i18n/", 500, "ValueError"),
    Scenario("long", "GET", "/reports/long/", 500, "AssertionError"),
    Scenario("recursion", "GET", "/tree/", 500, "RecursionError"),
    Scenario("db", "GET", "/orders/", 500, "OperationalError"),
    Scenario("broken_repr", "GET", "/things/", 500, "LookupError"),
    # SuspiciousOperation: django.security.SuspiciousOperation (ERROR, mailed)
    # and then django.request "Bad Request" (WARNING, not mailed).
    Scenario("suspicious", "GET", "/webhooks/verify/", 400, "SuspiciousOperation",
             records=2),
    Scenario("disallowed_host", "GET", "/ok/", 400, "DisallowedHost", records=2,
             host="evil.example.net"),
    Scenario("log_error", "GET", "/webhooks/log/", 200),
    Scenario("log_exception", "GET", "/refunds/", 200, "ValueError"),
    Scenario("crlf_path", "GET", "/orders/1/total/%0D%0ABcc:%20victim@example.net/",
             404, mails=0),
    # 404s: BrokenLinkEmailsMiddleware mails MANAGERS only for some of them.
    Scenario("404:internal", "GET", "/products/14/", 404,
             referer="https://shop.example.com/docs/", remote_addr="10.0.0.5"),
    Scenario("404:external", "GET", "/products/22/", 404,
             referer="https://blog.partner.org/links"),
    Scenario("404:search", "GET", "/products/32/", 404, mails=0,
             referer="https://www.search.example/?q=shop"),
    Scenario("404:none", "GET", "/products/5/", 404, mails=0),
    Scenario("404:self", "GET", "/products/5/", 404, mails=0,
             referer="http://shop.example.com/products/5/"),
    Scenario("404:ignorable", "GET", "/favicon.ico", 404, mails=0,
             referer="https://blog.partner.org/links"),
    Scenario("404:nomatch", "GET", "/.env", 404,
             referer="https://blog.partner.org/links"),
]


class ExplodingReporter(ExceptionReporter):
    """A DEFAULT_EXCEPTION_REPORTER that fails, for the handler's fallback."""

    def get_traceback_frames(self):
        raise RuntimeError("reporter exploded")


def log_records(path, worker, count, payload, maxBytes=0, backupCount=0):
    """Log `count` records (every other one with a traceback and a request)
    through a fresh ReportFileHandler on `path`.  Also the body of the
    worker processes of the concurrency tests (it must be importable from a
    module without side effects for multiprocessing's spawn), so it
    configures Django when it has to."""
    configure(report_path=None)
    handler = errordeck_django.ReportFileHandler(
        path, maxBytes=maxBytes, backupCount=backupCount)
    logger = logging.getLogger("errordeck.test.worker.%s" % worker)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    factory = RequestFactory()
    try:
        for seq in range(count):
            extra = {"worker": worker, "seq": seq, "payload": payload * (1 + seq % 3)}
            if seq % 2:
                request = factory.get("/w/%s/%d/" % (worker, seq), HTTP_HOST=HOST)
                try:
                    {}["missing-%d" % seq]
                except KeyError:
                    logger.error("worker %s record %d", worker, seq,
                                 exc_info=True, extra=dict(extra, request=request,
                                                           status_code=500))
            else:
                logger.warning("worker %s record %d", worker, seq, extra=extra)
    finally:
        logger.removeHandler(handler)
        handler.close()



def make_client():
    from django.test import Client

    # raise_request_exception=False: let Django turn exceptions into 500
    # responses (and log them) as it does in production.
    return Client(raise_request_exception=False)
