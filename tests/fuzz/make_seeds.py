#!/usr/bin/env python3
"""Builds the fuzzers' seed folders from the repository's test data.

    make_seeds.py TESTS_DATA_DIR README.md OUT_DIR

OUT_DIR is made anew: OUT_DIR/<harness>/ gets one file per seed, named by its
content's hash. Seeds are built, never committed: the corpus
(tests/data/corpus) is the source. The security review's samples
(tests/data/hostile) are not seeds: they are committed inputs under
tests/fuzz/regressions/ (or pending/ while they still fail); ./dev.sh fuzz
hands libFuzzer the regressions too, and a known crash among the seeds would
stop every run at its start.
"""
import hashlib
import json
import mailbox
import re
import shutil
import sys
from pathlib import Path

FILE_BACKEND_SEPARATOR = "-" * 79


def write(out: Path, harness: str, data: bytes) -> None:
    folder = out / harness
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def strings_in(value, found: set) -> None:
    """Every str in a parsed JSON value, keys included."""
    if isinstance(value, str):
        found.add(value)
    elif isinstance(value, list):
        for v in value:
            strings_in(v, found)
    elif isinstance(value, dict):
        for k, v in value.items():
            found.add(k)
            strings_in(v, found)


def file_backend_messages(text: str):
    """The messages of one file of Django's file-based e-mail backend."""
    for part in text.split("\n" + FILE_BACKEND_SEPARATOR + "\n"):
        part = part.strip("\n")
        if part.strip():
            yield part + "\n"


def main() -> int:
    data, readme, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    corpus = data / "corpus"
    shutil.rmtree(out, ignore_errors=True)  # seeds of an older generator must not linger

    # v1 lines and the composer: each record of the corpus.
    lines = (corpus / "records.jsonl").read_bytes().splitlines()
    for line in lines:
        if line.strip():
            write(out, "v1_line", line)
            write(out, "composer", line)

    # Sentry envelopes: the SDK captures, whole.
    for f in sorted((data / "sentry").glob("*.envelope")):
        write(out, "envelope", f.read_bytes())

    # One e-mail: each message in all three forms, an mbox one with its "From " line.
    mails = []
    for f in sorted((corpus / "eml").glob("*.eml")):
        mails.append(f.read_bytes())
    for f in sorted((corpus / "emails").glob("*.log")):
        mails += [m.encode() for m in file_backend_messages(f.read_text(encoding="utf-8", errors="surrogateescape"))]
    mbox_text = (corpus / "reports.mbox").read_bytes()
    mbox_messages = [b"From " + m for m in re.split(rb"(?:^|\n)From ", mbox_text) if m.strip()]
    for m in mails + mbox_messages:
        write(out, "email", m)

    # The splitter: a few whole files of each form, and many small ones of a
    # few messages cut short at a line end (the framing is what it reads; small
    # inputs run fast).
    def cut(message: bytes, size: int = 900) -> bytes:
        return message if len(message) <= size else message[:message.rfind(b"\n", 0, size) + 1]

    for f in sorted((corpus / "emails").glob("*.log"))[:2] + sorted((corpus / "eml").glob("*.eml"))[:2]:
        write(out, "mail_splitter", f.read_bytes())
    backend = [m for m in mails if not m.startswith(b"From ")]
    separator = b"\n" + FILE_BACKEND_SEPARATOR.encode() + b"\n"
    for i in range(0, min(len(backend), 60), 3):
        write(out, "mail_splitter", separator.join(cut(m) for m in backend[i:i + 3]) + separator)
        write(out, "mail_splitter", cut(backend[i]))
    for i in range(0, min(len(mbox_messages), 60), 3):
        write(out, "mail_splitter", b"\n".join(cut(m) for m in mbox_messages[i:i + 3]))

    # The search language: the README's examples, and a few by hand.
    queries = set()
    for m in re.finditer(r"--query '([^']*)'", readme.read_text(encoding="utf-8")):
        queries.add(m.group(1))
    for m in re.finditer(r"^\| `(\w+:)`[^|]*\| ([^|]*)\|", readme.read_text(encoding="utf-8"), re.M):
        queries.update(re.findall(r"`([^`]*)`", m.group(2)))
    queries.update([
        "checkout", '"division by zero"', "-logger:django.security type:KeyError", "!is:resolved orders*",
        "level:>=warning status:4xx path:/api/* after:2026-11-01 before:2026-11-20T12:00",
        "site:shop.example.com issue:42 event:4af73b17ad544745ae6561ba7953233e message:\"Internal Server Error\"",
        "is:hidden is:regression is:ignored status:>=400 -status:404",
    ])
    for q in queries:
        write(out, "search_query", q.encode())

    # Python repr and the scrubber: the strings of the records (values as
    # str() kept them, keys, request data, settings), and Python's own repr()
    # of some of them, as Django's e-mails print them.
    found = set()
    for line in lines:
        try:
            strings_in(json.loads(line), found)
        except ValueError:
            pass
    texts = sorted(s for s in found if 0 < len(s.encode("utf-8", "surrogatepass")) <= 4096)
    secrets = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    for request in secrets.get("requests", []):
        texts += [f"{s}" for s in request.get("secrets", [])]
    for i, s in enumerate(texts[:1500]):
        b = s.encode("utf-8", "surrogatepass")
        write(out, "python_repr", b)
        if i % 3 == 0:
            write(out, "python_repr", repr(s).encode("utf-8", "surrogatepass"))
        write(out, "scrubber", bytes([i % 8]) + b)

    for h in sorted(p.name for p in out.iterdir()):
        print(f"{h}: {sum(1 for _ in (out / h).iterdir())} seeds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
