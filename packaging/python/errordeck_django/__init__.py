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

The only dependency is Django (3.2 to 5.x).  The package is this folder, in
two parts: ``report`` builds a record's report (what goes into a line) and
``handler`` is the logging handler that writes the lines (locking,
rotation).  It may also be copied into a project as it is (the whole
``errordeck_django`` folder, next to ``settings.py``).
"""

from .handler import ReportFileHandler
from .report import FORMAT

__all__ = ["ReportFileHandler", "FORMAT"]
__version__ = "1.0.0"
