"""ReportFileHandler as a site configures it: the LOGGING snippet of
packaging/python/README.md as documented, dictConfig's options, the test
site's own configuration and the mode of a new file.
"""

import json
import logging
import os
import sys
import unittest

from handler_support import CHILD_PREAMBLE, TMP, check_shape, read_lines, site
import errordeck_django


class ConfigurationTest(unittest.TestCase):

    def run_child(self, code):
        """Run code in a fresh interpreter (its own logging and Django
        configuration); return what it printed as JSON."""
        import subprocess

        proc = subprocess.run([sys.executable, "-c", code], cwd=TMP,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              universal_newlines=True, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)

    def test_readme_logging_snippet(self):
        """The LOGGING of packaging/python/README.md, as documented, on the
        test site: 500s and 404s are mailed and reported."""
        out = os.path.join(TMP, "readme.jsonl")
        readme = os.path.join(site.REPO, "packaging", "python", "README.md")
        result = self.run_child(CHILD_PREAMBLE + """
text = open(%(readme)r, encoding="utf-8").read()
section = text.split("## Send reports from your Django site", 1)[1]
code = re.search(r"```python\\n(.*?)```", section, re.S).group(1)
namespace = {}
exec(code, namespace)
LOGGING = namespace["LOGGING"]
assert LOGGING["handlers"]["errordeck"]["filename"] == "/var/log/mysite/errordeck.jsonl"
LOGGING["handlers"]["errordeck"]["filename"] = %(out)r
LOGGING["loggers"]["shop"] = LOGGING["loggers"].pop("mysite")
site.configure(logging_config=LOGGING)
client = site.make_client()
statuses = [
    client.get("/orders/5/total/", HTTP_HOST=site.HOST).status_code,
    client.get("/products/14/", HTTP_HOST=site.HOST,
               HTTP_REFERER="https://shop.example.com/docs/").status_code,
    client.get("/webhooks/log/", HTTP_HOST=site.HOST).status_code,
]
from django.core import mail
print(json.dumps({"statuses": statuses, "subjects": [m.subject for m in mail.outbox]}))
""" % {"readme": readme, "out": out})
        self.assertEqual(result["statuses"], [500, 404, 200])
        self.assertEqual(len(result["subjects"]), 3)
        recs = read_lines(out)
        self.assertEqual([(r["logger"], r["level"], r["status_code"]) for r in recs], [
            ("django.request", "ERROR", 500),
            ("django.request", "WARNING", 404),
            ("shop.payments", "ERROR", 400)])
        self.assertEqual(recs[0]["exception"]["type"], "ZeroDivisionError")
        for rec in recs:
            check_shape(self, rec)

    def test_dictconfig_options(self):
        out = os.path.join(TMP, "dictconfig.jsonl")
        result = self.run_child(CHILD_PREAMBLE + """
import logging, logging.config
site.configure(report_path=None)
logging.config.dictConfig({
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"errordeck": {
        "class": "errordeck_django.ReportFileHandler",
        "filename": %(out)r, "maxBytes": 1000000, "backupCount": 2,
        "site": "shop-staging", "max_var_length": 10, "level": "WARNING"}},
    "loggers": {"cfg": {"handlers": ["errordeck"], "propagate": False}},
})
logger = logging.getLogger("cfg")
handler = logger.handlers[0]
logger.info("ignored")
def fail(big):
    raise ValueError("x")
try:
    fail("y" * 100)
except ValueError:
    logger.warning("kept %%s", "this", exc_info=True)
print(json.dumps({"level": handler.level, "maxBytes": handler.maxBytes,
                  "backupCount": handler.backupCount}))
""" % {"out": out})
        self.assertEqual(result, {"level": logging.WARNING, "maxBytes": 1000000,
                                  "backupCount": 2})
        (rec,) = read_lines(out)
        check_shape(self, rec)
        self.assertEqual(rec["site"], "shop-staging")
        self.assertEqual(rec["message"], "kept this")
        self.assertIsNone(rec["request"])
        big = rec["exception"]["frames"][-1]["vars"]["big"]
        self.assertEqual(big, "'yyyyyyyyy… <trimmed 102 bytes string>")

    def test_site_configuration_uses_the_handler(self):
        handlers = [h for h in logging.getLogger("django").handlers]
        kinds = sorted(type(h).__name__ for h in handlers)
        self.assertEqual(kinds, ["AdminEmailHandler", "ReportFileHandler"])
        self.assertTrue([h for h in handlers if getattr(h, "include_html", False)])

    def test_file_mode(self):
        path = os.path.join(TMP, "mode.jsonl")
        handler = errordeck_django.ReportFileHandler(path)
        saved = os.umask(0o022)
        try:
            handler.handle(logging.makeLogRecord({"msg": "x", "levelname": "ERROR",
                                                  "levelno": 40}))
        finally:
            os.umask(saved)
            handler.close()
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o640)



if __name__ == "__main__":
    unittest.main()
