"""Write Django error reports as ErrorDeck report lines (format ``errordeck/1``).

``ReportFileHandler`` is a :class:`logging.Handler` for Django's ``LOGGING``
setting.  Every log record it receives becomes one JSON object on one line of
a file, in the ErrorDeck v1 report format: the message, the exception with its
whole ``__cause__``/``__context__`` chain, every traceback frame with source
context and local variables, the request, the settings and some facts about
the server.  ErrorDeck imports these files directly.

All the data goes through Django's own machinery, exactly as the error
e-mails of ``AdminEmailHandler`` do: the site's exception reporter class
(``DEFAULT_EXCEPTION_REPORTER``) walks the traceback and its filter
(``DEFAULT_EXCEPTION_REPORTER_FILTER``) cleans frame variables, POST data,
request META and settings.  So ``@sensitive_variables`` and
``@sensitive_post_parameters`` hold in these reports as they do in the mails.

The handler never raises into the site: any failure goes to
``Handler.handleError``.  Several threads and several worker processes may
write the same file: each record is one complete line, appended with a single
``write()`` on an ``O_APPEND`` descriptor while holding an exclusive
``flock()`` on the file, and size-based rotation is done under that same lock.

The only dependency is Django (3.2 to 5.x).  This module is the whole
package: it may also be copied into a project as it is.
"""

import datetime
import errno
import fcntl
import json
import logging
import os
import socket
import sys
import sysconfig
import uuid

__all__ = ["ReportFileHandler", "FORMAT"]
__version__ = "1.0.0"

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


class ReportFileHandler(logging.Handler):
    """Append each log record to ``filename`` as one ErrorDeck v1 JSON line.

    Arguments (all may be given as keys of the handler's dict in ``LOGGING``):

    ``filename``
        The report file.  Its folder must exist.  It is opened on the first
        record, not when logging is configured, so a wrong path never stops
        the site from starting; failures are reported through ``handleError``.
    ``maxBytes``, ``backupCount``
        Size-based rotation as in :class:`logging.handlers.RotatingFileHandler`:
        when appending a line would take the file past ``maxBytes``, it is
        renamed to ``filename.1`` (``.1`` to ``.2`` and so on, up to
        ``backupCount``).  A file only grows past ``maxBytes`` when a single
        line is larger.  Rotation needs both to be non-zero.
    ``site``
        A name for this deployment, written as the record's ``site``; when not
        given the field is left out and ErrorDeck uses the request's host.
    ``max_var_length``
        Frame variables longer than this are trimmed as Django trims them in
        its own reports (``None``: never trim).
    ``reporter_class``
        Dotted path of an ``ExceptionReporter`` subclass; default: the site's
        ``DEFAULT_EXCEPTION_REPORTER`` (or the request's own, if it has one).
    ``file_mode``
        Permission bits of a newly created file (reports hold request data:
        by default readable by the owner and group only).
    """

    terminator = "\n"

    def __init__(self, filename, maxBytes=0, backupCount=0, site=None,
                 max_var_length=DEFAULT_MAX_VAR_LENGTH, reporter_class=None,
                 file_mode=0o640, level=logging.NOTSET):
        super().__init__(level=level)
        self.baseFilename = os.path.abspath(os.fspath(filename))
        self.maxBytes = int(maxBytes or 0)
        self.backupCount = int(backupCount or 0)
        self.site = site
        self.max_var_length = max_var_length
        self.reporter_class = reporter_class
        self.file_mode = file_mode
        self._fd = None
        self._fd_pid = None

    # ------------------------------------------------------------------
    # logging.Handler interface
    # ------------------------------------------------------------------

    def handle(self, record):
        # logging.Handler.handle() holds self.lock for the whole of emit().
        # Building a report (reading source files, repr() of every local,
        # cleaning the settings) is by far the slow part and touches nothing
        # shared, so we only take the lock around the write (see _append):
        # one thread's big traceback does not hold up the others.
        rv = self.filter(record)
        if isinstance(rv, logging.LogRecord):  # Python 3.12+: filters may
            record = rv                         # return a replacement record
        if rv:
            self.emit(record)
        return rv

    def emit(self, record):
        try:
            self._append(self.format_line(record))
        except Exception:
            # Never into the site: a report that cannot be written must not
            # turn a handled error into another one.
            self.handleError(record)

    def close(self):
        self.acquire()
        try:
            self._close_fd()
        finally:
            self.release()
        super().close()

    def __repr__(self):
        return "<%s %s (%s)>" % (type(self).__name__, self.baseFilename,
                                 logging.getLevelName(self.level))

    # ------------------------------------------------------------------
    # Building the report
    # ------------------------------------------------------------------

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

    # ------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------

    def _open_fd(self):
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
        self._fd = os.open(self.baseFilename, flags, self.file_mode)
        self._fd_pid = os.getpid()
        return self._fd

    def _close_fd(self):
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass

    def _current_fd(self):
        if self._fd is not None and self._fd_pid != os.getpid():
            # We are a child forked after the file was opened (a pre-forking
            # server that logged before forking).  Parent and child would
            # share one open file description, and flock() does not exclude
            # holders of the same description from each other: open our own.
            self._close_fd()
        if self._fd is None:
            self._open_fd()
        return self._fd

    def _is_current(self, fd):
        """Whether fd is still the file at baseFilename (another process may
        have rotated it away, or an administrator moved or deleted it)."""
        try:
            on_disk = os.stat(self.baseFilename)
        except FileNotFoundError:
            return False
        mine = os.fstat(fd)
        return (on_disk.st_dev, on_disk.st_ino) == (mine.st_dev, mine.st_ino)

    def _rollover_due(self, size, length):
        return (self.maxBytes > 0 and self.backupCount > 0 and size > 0
                and size + length > self.maxBytes)

    def _rotate(self):
        """Shift filename.N-1 -> filename.N ... filename -> filename.1.
        Called with the lock of the current file held, so no other process
        is appending to it or rotating it."""
        base = self.baseFilename
        for i in range(self.backupCount - 1, 0, -1):
            src = "%s.%d" % (base, i)
            if os.path.exists(src):
                os.replace(src, "%s.%d" % (base, i + 1))
        os.replace(base, base + ".1")

    def _append(self, data):
        """Append one complete line, safe against other threads (self.lock)
        and other processes (flock on the file itself)."""
        self.acquire()
        try:
            # Normally one pass.  We go round again only when the file we had
            # open stopped being the current one (rotated by another process,
            # or by us just now); a few rounds cover any realistic contention.
            for _ in range(16):
                fd = self._current_fd()
                fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    # Re-check everything after getting the lock: while we
                    # waited, another process may have rotated the file.
                    stale = not self._is_current(fd)
                    if not stale and self._rollover_due(os.fstat(fd).st_size,
                                                        len(data)):
                        self._rotate()
                        stale = True
                    if not stale:
                        _write_all(fd, data)
                        return
                finally:
                    fcntl.flock(fd, fcntl.LOCK_UN)
                self._close_fd()
            raise OSError(errno.EAGAIN,
                          "report file kept being rotated away while writing",
                          self.baseFilename)
        finally:
            self.release()


class _PartialSection(Exception):
    """A section that was built, but with parts that failed."""

    def __init__(self, value, errors):
        super().__init__("; ".join(errors))
        self.value = value
        self.errors = errors


def _write_all(fd, data):
    # On a regular file opened O_APPEND, one write() puts the whole line at
    # the end of the file at once; the loop only matters if the kernel
    # accepts part of it (disk full, signal), and the flock we hold keeps
    # other writers from slipping in between the parts.
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


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
