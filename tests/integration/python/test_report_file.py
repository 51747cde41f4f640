"""ReportFileHandler writing its file: a file it cannot write never breaks the
site, threads and processes (also forked after the file was opened) append
whole lines, and rotation by size keeps every line exactly once.
"""

import logging
import multiprocessing
import os
import sys
import tempfile
import threading
import unittest

from handler_support import SITE_REPORTS, TMP, all_report_files, check_shape, read_lines, site
import errordeck_django
from django.core import mail


class HandlerFailureTest(unittest.TestCase):
    """A handler that cannot write never breaks the site."""

    def setUp(self):
        self.loggers = [logging.getLogger("django"), logging.getLogger("shop")]
        self.saved = [list(lg.handlers) for lg in self.loggers]

    def tearDown(self):
        for lg, handlers in zip(self.loggers, self.saved):
            lg.handlers[:] = handlers

    def add(self, handler):
        calls = []
        handler.handleError = lambda record: calls.append(
            (record, sys.exc_info()[1]))
        for lg in self.loggers:
            lg.addHandler(handler)
        return calls

    def test_unwritable_path(self):
        not_a_dir = os.path.join(TMP, "plain-file")
        with open(not_a_dir, "w") as fh:
            fh.write("x")
        handler = errordeck_django.ReportFileHandler(
            os.path.join(not_a_dir, "reports.jsonl"))
        calls = self.add(handler)
        lines_before = len(read_lines(SITE_REPORTS))
        mails_before = len(mail.outbox)

        client = site.make_client()
        response = client.get("/orders/3/total/", HTTP_HOST=site.HOST)
        self.assertEqual(response.status_code, 500)
        response = client.get("/webhooks/log/", HTTP_HOST=site.HOST)
        self.assertEqual(response.status_code, 200)

        self.assertEqual(len(calls), 2)
        self.assertIsInstance(calls[0][1], OSError)
        # The other handlers went on as usual.
        self.assertEqual(len(mail.outbox) - mails_before, 2)
        self.assertEqual(len(read_lines(SITE_REPORTS)) - lines_before, 2)

    def test_default_handle_error_swallows(self):
        handler = errordeck_django.ReportFileHandler(
            os.path.join(TMP, "no", "such", "dir", "reports.jsonl"))
        logger = logging.getLogger("errordeck.test.swallow")
        logger.propagate = False
        logger.addHandler(handler)
        saved = logging.raiseExceptions
        logging.raiseExceptions = False  # as in production; keep stderr clean
        try:
            logger.error("boom")  # must not raise
        finally:
            logging.raiseExceptions = saved
            logger.removeHandler(handler)

    def test_broken_reporter_still_writes_a_line(self):
        path = os.path.join(TMP, "broken-reporter.jsonl")
        handler = errordeck_django.ReportFileHandler(
            path, reporter_class="errordeck_test_site.ExplodingReporter")
        logger = logging.getLogger("errordeck.test.broken")
        logger.propagate = False
        logger.addHandler(handler)
        try:
            try:
                raise KeyError("abc")
            except KeyError:
                logger.exception("failed")
        finally:
            logger.removeHandler(handler)
            handler.close()
        (rec,) = read_lines(path)
        self.assertEqual(rec["exception"]["type"], "KeyError")
        self.assertEqual(rec["exception"]["frames"], [])
        self.assertTrue(any("reporter exploded" in e for e in rec["handler_errors"]))
        self.assertEqual(rec["message"], "failed")


class ConcurrencyTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="concurrency-", dir=TMP)
        self.path = os.path.join(self.dir, "reports.jsonl")

    def check_all(self, expected):
        """Every line valid; each (worker, seq) exactly once."""
        seen = []
        for path in all_report_files(self.path):
            for rec in read_lines(path):
                check_shape(self, rec)
                seen.append((rec["extra"]["worker"], rec["extra"]["seq"]))
        self.assertEqual(len(seen), len(expected))
        self.assertEqual(sorted(seen), sorted(expected))

    def test_threads(self):
        # Lines of 5-20 KB: far above PIPE_BUF, so only the lock keeps them whole.
        threads = [threading.Thread(target=site.log_records,
                                    args=(self.path, "t%d" % i, 60, "p" * 5000))
                   for i in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.check_all([("t%d" % i, s) for i in range(12) for s in range(60)])

    def test_threads_share_one_handler(self):
        handler = errordeck_django.ReportFileHandler(self.path)
        logger = logging.getLogger("errordeck.test.shared")
        logger.propagate = False
        logger.addHandler(handler)

        def work(worker):
            for seq in range(100):
                try:
                    1 / 0
                except ZeroDivisionError:
                    logger.exception("shared", extra={"worker": worker, "seq": seq,
                                                      "pad": "z" * 3000})
        try:
            threads = [threading.Thread(target=work, args=("s%d" % i,))
                       for i in range(10)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            logger.removeHandler(handler)
            handler.close()
        self.check_all([("s%d" % i, s) for i in range(10) for s in range(100)])

    def run_processes(self, count, per_process, payload, **rotation):
        ctx = multiprocessing.get_context("spawn")
        procs = [ctx.Process(target=site.log_records,
                             args=(self.path, "p%d" % i, per_process, payload),
                             kwargs=rotation)
                 for i in range(count)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(120)
            self.assertEqual(p.exitcode, 0)
        return [("p%d" % i, s) for i in range(count) for s in range(per_process)]

    def test_processes(self):
        expected = self.run_processes(6, 80, "q" * 6000)
        self.check_all(expected)
        self.assertEqual(all_report_files(self.path), [self.path])

    def test_fork_after_open(self):
        """A pre-forking server that logged before forking: the child must
        not keep the parent's descriptor (flock would not exclude the two)."""
        handler = errordeck_django.ReportFileHandler(self.path)
        logger = logging.getLogger("errordeck.test.fork")
        logger.propagate = False
        logger.addHandler(handler)
        try:
            logger.error("parent", extra={"worker": "parent", "seq": 0})
            parent_fd = handler._fd
            pid = os.fork()
            if pid == 0:  # child: report through os._exit's status
                ok = False
                try:
                    for seq in range(20):
                        logger.error("child", extra={"worker": "child", "seq": seq})
                    ok = handler._fd_pid == os.getpid()
                finally:
                    os._exit(0 if ok else 1)
            for seq in range(1, 21):
                logger.error("parent", extra={"worker": "parent", "seq": seq})
            _, status = os.waitpid(pid, 0)
            self.assertEqual(status, 0)
            self.assertEqual(handler._fd, parent_fd)
        finally:
            logger.removeHandler(handler)
            handler.close()
        self.check_all([("parent", s) for s in range(21)] +
                       [("child", s) for s in range(20)])

    def test_processes_with_rotation(self):
        # backupCount large enough that nothing is dropped: every record must
        # be in exactly one of the files, and no file may pass maxBytes.
        max_bytes = 150000
        expected = self.run_processes(5, 80, "r" * 4000,
                                      maxBytes=max_bytes, backupCount=500)
        files = all_report_files(self.path)
        self.assertGreater(len(files), 5)
        for path in files:
            self.assertLessEqual(os.path.getsize(path), max_bytes, path)
        self.check_all(expected)


class RotationTest(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="rotation-", dir=TMP)
        self.path = os.path.join(self.dir, "reports.jsonl")

    def test_rotation_keeps_backup_count_files(self):
        max_bytes = 40000
        site.log_records(self.path, "r", 120, "s" * 2000, maxBytes=max_bytes, backupCount=3)
        files = all_report_files(self.path)
        self.assertEqual([os.path.basename(p) for p in files],
                         ["reports.jsonl.3", "reports.jsonl.2", "reports.jsonl.1",
                          "reports.jsonl"])
        seqs = []
        for path in files:
            self.assertLessEqual(os.path.getsize(path), max_bytes)
            for rec in read_lines(path):
                check_shape(self, rec)
                seqs.append(rec["extra"]["seq"])
        # The newest records, in order, none missing since the oldest kept.
        self.assertEqual(seqs, list(range(seqs[0], 120)))
        self.assertGreater(seqs[0], 0)

    def test_no_rotation_without_backup_count(self):
        site.log_records(self.path, "n", 30, "s" * 2000, maxBytes=10000, backupCount=0)
        self.assertEqual(all_report_files(self.path), [self.path])
        self.assertEqual(len(read_lines(self.path)), 30)

    def test_single_line_larger_than_max_bytes(self):
        site.log_records(self.path, "big", 3, "b" * 30000, maxBytes=10000, backupCount=5)
        files = all_report_files(self.path)
        self.assertEqual(len(files), 3)
        self.assertEqual([len(read_lines(p)) for p in files], [1, 1, 1])

    def test_file_moved_away_is_reopened(self):
        handler = errordeck_django.ReportFileHandler(self.path)
        logger = logging.getLogger("errordeck.test.moved")
        logger.propagate = False
        logger.addHandler(handler)
        try:
            logger.error("one")
            os.rename(self.path, self.path + ".old")  # e.g. logrotate
            logger.error("two")
        finally:
            logger.removeHandler(handler)
            handler.close()
        self.assertEqual([r["message"] for r in read_lines(self.path + ".old")], ["one"])
        self.assertEqual([r["message"] for r in read_lines(self.path)], ["two"])


if __name__ == "__main__":
    unittest.main()
