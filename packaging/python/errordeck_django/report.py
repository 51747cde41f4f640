"""A log record as an ErrorDeck report (a dict in the ``errordeck/1`` shape,
and the JSON line of it), built through Django's exception reporter and its
filter as ``AdminEmailHandler`` builds its mails.  ``ReportBuilder`` is the
part of ``ReportFileHandler`` that does it.
"""

import datetime
import json
import logging
import os
import socket
import sys
import sysconfig
import uuid

FORMAT = "errordeck/1"

# Django trims frame variables to this many characters in its own reports
# (ExceptionReporter.get_traceback_data); we do the same by default so that one
# huge local (a request body, a big list) cannot turn a report into megabytes.
DEFAULT_MAX_VAR_LENGTH = 4096

# Attributes every LogRecord has.  Whatever else a record carries came from
# ``extra=`` (or from a filter) and is reported under "extra".  Computed from a
# real record so new attributes of future Python versions (e.g. taskName in
# 3.12) are recognised without a list to maintain.
_STANDARD_RECORD_ATTRS = frozenset(
    vars(logging.LogRecord("x", logging.INFO, __file__, 1, "x", (), None))
) | {
    "message",  # set by Formatter.format (AdminEmailHandler formats records)
    "asctime",  # idem
    # These two are set by Django's log_response() / response_for_exception()
    # and are reported as the top-level "status_code" and "request" fields.
    "status_code",
    "request",
}

# Paths of frames that are not the site's own code.  Django is usually under
# site-packages or dist-packages, but may also be a source checkout, so frames
# whose module is ``django.*`` are excluded by name too.
_LIBRARY_DIR_MARKERS = (
    os.sep + "site-packages" + os.sep,
    os.sep + "dist-packages" + os.sep,
)


def _stdlib_dirs():
    dirs = set()
    for key in ("stdlib", "platstdlib"):
        try:
            path = sysconfig.get_paths().get(key)
        except Exception:
            path = None
        if path:
            dirs.add(os.path.join(os.path.realpath(path), ""))
    return tuple(sorted(dirs))


_STDLIB_DIRS = _stdlib_dirs()


def _safe_repr(value):
    """repr() that cannot fail (a broken __repr__ must not lose the report)."""
    try:
        return repr(value)
    except Exception as exc:
        try:
            return "<unrepresentable %s object: %s: %s>" % (
                type(value).__name__, type(exc).__name__, exc)
        except Exception:
            return "<unrepresentable object>"


def _safe_str(value):
    """str() that cannot fail; falls back to repr()."""
    if isinstance(value, str):
        return value
    try:
        return str(value)
    except Exception:
        return _safe_repr(value)


def _json_value(value):
    """value itself if it is plain JSON data, else its repr()."""
    try:
        json.dumps(value, allow_nan=False)
    except Exception:
        return _safe_repr(value)
    return value


def _is_in_app(filename, module):
    if module == "django" or module.startswith("django."):
        return False
    if not filename or filename.startswith("<"):
        # "<frozen importlib._bootstrap>", "<string>", ...: not the site's files.
        return False
    if any(marker in filename for marker in _LIBRARY_DIR_MARKERS):
        return False
    real = os.path.realpath(filename)
    if any(real.startswith(d) for d in _STDLIB_DIRS):
        return False
    return True


def _exception_chain(exc_value):
    """[exc, its cause, the cause's cause, ...] the way Django's reporter walks
    it: ``__cause__``, else ``__context__`` unless ``__suppress_context__``;
    stops at a cycle."""
    chain = []
    while exc_value is not None:
        chain.append(exc_value)
        explicit = getattr(exc_value, "__cause__", None)
        if explicit is not None:
            exc_value = explicit
        elif getattr(exc_value, "__suppress_context__", False):
            exc_value = None
        else:
            exc_value = getattr(exc_value, "__context__", None)
        if any(exc_value is seen for seen in chain):
            break
    return chain


def _cause_of(exc_value):
    explicit = getattr(exc_value, "__cause__", None)
    if explicit is not None:
        return explicit
    if getattr(exc_value, "__suppress_context__", False):
        return None
    return getattr(exc_value, "__context__", None)


def _iso_now():
    from django.utils import timezone

    now = timezone.now()
    if now.tzinfo is None:
        # USE_TZ = False: Django gives naive local time; state its offset.
        now = now.astimezone()
    return now.isoformat()


class ReportBuilder:
    """Builds the report of a record.  Mixed into ``ReportFileHandler``,
    whose options it reads: ``site``, ``max_var_length``, ``reporter_class``
    and the line ``terminator``."""

    def format_line(self, record):
        """The record as one JSON line (bytes, ending with a newline)."""
        report = self.build_report(record)
        text = json.dumps(report, ensure_ascii=False, default=_safe_repr)
        try:
            data = (text + self.terminator).encode("utf-8")
        except UnicodeEncodeError:
            # Lone surrogates (undecodable file names, surrogateescape'd
            # headers) cannot be UTF-8: let json escape them as \udcXX.
            text = json.dumps(report, ensure_ascii=True, default=_safe_repr)
            data = (text + self.terminator).encode("ascii")
        return data

    def build_report(self, record):
        """The record as a dict in the errordeck/1 shape."""
        # Each section is built on its own: if one fails (a broken custom
        # filter, a request that cannot be read, ...) the others are still
        # reported, and what went wrong is stated in "handler_errors".
        errors = []

        def section(name, build, *args):
            try:
                return build(*args)
            except _PartialSection as partial:
                errors.extend("%s.%s" % (name, e) for e in partial.errors)
                return partial.value
            except Exception as exc:
                errors.append("%s: %s" % (name, _safe_repr(exc)))
                return None

        request = getattr(record, "request", None)
        if request is not None and not _looks_like_request(request):
            request = None

        try:
            message = record.getMessage()
        except Exception as exc:
            errors.append("message: %s" % _safe_repr(exc))
            message = _safe_str(record.msg)

        status_code = getattr(record, "status_code", None)
        if status_code is not None:
            try:
                status_code = int(status_code)
            except (TypeError, ValueError):
                status_code = _safe_str(status_code)

        report = {
            "format": FORMAT,
            "event_id": uuid.uuid4().hex,
            "timestamp": datetime.datetime.fromtimestamp(
                record.created, tz=datetime.timezone.utc).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
            "status_code": status_code,
        }
        if self.site:
            report["site"] = self.site
        report["exception"] = section("exception", self._build_exception,
                                      record, request)
        if record.exc_info and record.exc_info[1] is not None \
                and report["exception"] is None:
            # The reporter failed: still say what was raised.
            report["exception"] = section(
                "exception", _bare_exception, record.exc_info[1])
        report["request"] = (section("request", self._build_request, request)
                             if request is not None else None)
        report["settings"] = section("settings", self._build_settings, request)
        report["environment"] = section("environment", self._build_environment)
        report["extra"] = section("extra", self._build_extra, record)
        if errors:
            report["handler_errors"] = errors
        return report

    def _get_filter(self, request):
        from django.views.debug import get_exception_reporter_filter

        return get_exception_reporter_filter(request)

    def _get_reporter_class(self, request):
        if self.reporter_class:
            from django.utils.module_loading import import_string

            return import_string(self.reporter_class)
        from django.views import debug

        if hasattr(debug, "get_exception_reporter_class"):  # Django 3.1+
            return debug.get_exception_reporter_class(request)
        return debug.ExceptionReporter

    def _build_exception(self, record, request):
        exc_info = record.exc_info
        if not exc_info or exc_info[1] is None:
            return None
        exc_type, exc_value, tb = exc_info
        reporter = self._get_reporter_class(request)(
            request, exc_type, exc_value, tb, is_email=True)
        chain = _exception_chain(exc_value)

        # Django lays out the frames of the whole chain as one list, oldest
        # exception first (as its e-mails print them).  Every frame carries
        # "exc_cause", the cause of the exception whose traceback it belongs
        # to; each exception of the chain has a different cause (the next one
        # in the chain, None for the last), so that splits the list back into
        # one traceback per exception.  Frames Django found no traceback for
        # (it adds a placeholder without "tb") are left out.
        frames_of = [[] for _ in chain]
        owner_by_cause = {}
        for index, exc in enumerate(chain):
            cause = _cause_of(exc)
            owner_by_cause.setdefault(id(cause), index)
        for frame in reporter.get_traceback_frames():
            if frame.get("tb") is None or "filename" not in frame:
                continue
            index = owner_by_cause.get(id(frame.get("exc_cause")), 0)
            frames_of[index].append(self._build_frame(frame))

        return _nest_chain(chain, frames_of)

    def _build_frame(self, frame):
        tb = frame["tb"]
        module = ""
        try:
            module = tb.tb_frame.f_globals.get("__name__") or ""
        except Exception:
            pass
        filename = frame.get("filename") or ""
        vars_ = {}
        for name, value in frame.get("vars") or ():
            vars_[_safe_str(name)] = self._var_repr(value)
        return {
            "filename": filename,
            "module": module,
            "function": frame.get("function"),
            "lineno": frame.get("lineno"),
            "pre_context_lineno": frame.get("pre_context_lineno"),
            "pre_context": list(frame.get("pre_context") or []),
            "context_line": frame.get("context_line"),
            "post_context": list(frame.get("post_context") or []),
            "in_app": _is_in_app(filename, module),
            "vars": vars_,
        }

    def _var_repr(self, value):
        text = _safe_repr(value)
        limit = self.max_var_length
        if limit is not None and len(text) > limit:
            # Same wording as Django's own reports.
            text = "%s… <trimmed %d bytes string>" % (text[:limit], len(text))
        return text

    def _build_request(self, request):
        filt = self._get_filter(request)
        errors = []

        def part(name, build, default=None):
            try:
                return build()
            except Exception as exc:
                errors.append("%s: %s" % (name, _safe_repr(exc)))
                return default

        host = part("host", lambda: _request_host(request))
        scheme = part("scheme", lambda: request.scheme)
        full_path = part("full_path", request.get_full_path)
        url = None
        if scheme and host and full_path is not None:
            url = "%s://%s%s" % (scheme, host, full_path)

        if hasattr(filt, "get_safe_request_meta"):  # Django 3.1+
            meta = part("META", lambda: filt.get_safe_request_meta(request), {})
        else:
            meta = part("META", lambda: request.META, {})
        if hasattr(filt, "get_safe_cookies"):  # newer Django versions
            cookies = part("COOKIES", lambda: filt.get_safe_cookies(request), {})
        else:
            cookies = part("COOKIES", lambda: request.COOKIES, {})

        result = {
            "method": request.method,
            "scheme": scheme,
            "host": host,
            "path": request.path,
            "full_path": full_path,
            "url": url,
            "remote_addr": _str_or_none(request.META.get("REMOTE_ADDR")),
            "user": _request_user(request),
            "GET": part("GET", lambda: _multi_dict(request.GET), {}),
            "POST": part("POST", lambda: _multi_dict(
                filt.get_post_parameters(request)), {}),
            "FILES": part("FILES", lambda: _multi_dict(request.FILES), {}),
            "COOKIES": {_safe_str(k): _safe_str(v)
                        for k, v in (cookies or {}).items()},
            "META": {_safe_str(k): _safe_str(v)
                     for k, v in (meta or {}).items()},
        }
        if errors:
            # Surface them with the record's other handler errors.
            raise _PartialSection(result, errors)
        return result

    def _build_settings(self, request):
        safe = self._get_filter(request).get_safe_settings()
        return {_safe_str(k): _safe_str(v) for k, v in safe.items()}

    def _build_environment(self):
        import django

        return {
            "hostname": socket.gethostname(),
            "django_version": django.get_version(),
            "python_version": "%d.%d.%d" % sys.version_info[:3],
            "python_executable": sys.executable,
            "server_time": _iso_now(),
        }

    def _build_extra(self, record):
        extra = {}
        for key, value in vars(record).items():
            # Leading underscore: private bookkeeping some libraries attach
            # to records, not data passed with extra=.
            if key in _STANDARD_RECORD_ATTRS or key.startswith("_"):
                continue
            extra[key] = _json_value(value)
        request = getattr(record, "request", None)
        if request is not None and not _looks_like_request(request):
            # Something that is not an HttpRequest was passed as "request":
            # keep it, but not as the report's request.
            extra["request"] = _json_value(request)
        return extra


class _PartialSection(Exception):
    """A section that was built, but with parts that failed."""

    def __init__(self, value, errors):
        super().__init__("; ".join(errors))
        self.value = value
        self.errors = errors


def _looks_like_request(obj):
    try:
        from django.http import HttpRequest
    except Exception:
        return False
    return isinstance(obj, HttpRequest)


def _str_or_none(value):
    return None if value is None else _safe_str(value)


def _request_host(request):
    try:
        return request.get_host()
    except Exception:
        # get_host() validates against ALLOWED_HOSTS and raises for the very
        # requests a django.security.DisallowedHost record is about: report
        # the host the client sent.
        if hasattr(request, "_get_raw_host"):
            return request._get_raw_host()
        meta = request.META
        return meta.get("HTTP_X_FORWARDED_HOST") or meta.get("HTTP_HOST") \
            or meta.get("SERVER_NAME")


def _request_user(request):
    # As Django's ExceptionReporter.get_traceback_data() does.
    try:
        return str(request.user)
    except Exception:
        return "[unable to retrieve the current user]"


def _multi_dict(data):
    """A QueryDict/MultiValueDict (or plain dict) as {key: [str, ...]}."""
    if data is None:
        return {}
    if hasattr(data, "lists"):
        items = data.lists()
    else:
        items = ((k, v if isinstance(v, (list, tuple)) else [v])
                 for k, v in data.items())
    return {_safe_str(k): [_safe_str(v) for v in values] for k, values in items}


def _nest_chain(chain, frames_of):
    """The chain [exc, cause, cause of cause, ...] as nested report objects,
    with frames_of[i] as the frames of chain[i]."""
    result = None
    # From the innermost cause outwards, each one becoming the next's "cause".
    for index in range(len(chain) - 1, -1, -1):
        exc = chain[index]
        result = {
            "type": type(exc).__name__,
            "module": type(exc).__module__,
            "value": _safe_str(exc),
            "frames": frames_of[index],
            "cause": result,
            # True for "raise ... from cause", False for an exception raised
            # while handling another (implicit __context__) or with no cause.
            "cause_explicit": getattr(exc, "__cause__", None) is not None,
        }
    return result


def _bare_exception(exc_value):
    """The exception chain without frames: used when Django's reporter fails."""
    chain = _exception_chain(exc_value)
    return _nest_chain(chain, [[] for _ in chain])
