"""``ReportFileHandler``: the logging handler that appends each record's
report (built by ``report.ReportBuilder``) to a file as one line, safe
against other threads and other processes, with size-based rotation.
"""

import errno
import fcntl
import logging
import os

from .report import DEFAULT_MAX_VAR_LENGTH, ReportBuilder


class ReportFileHandler(ReportBuilder, logging.Handler):
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


def _write_all(fd, data):
    # On a regular file opened O_APPEND, one write() puts the whole line at
    # the end of the file at once; the loop only matters if the kernel
    # accepts part of it (disk full, signal), and the flock we hold keeps
    # other writers from slipping in between the parts.
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
