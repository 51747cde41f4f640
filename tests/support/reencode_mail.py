#!/usr/bin/python3
"""Re-encode the corpus's Django e-mails the way a mail client exports them.

    reencode_mail.py CORPUS_DIR OUT_DIR {base64|quoted-printable}

Reads the 69 messages of CORPUS_DIR/eml/*.eml and CORPUS_DIR/reports.mbox and
writes each to OUT_DIR/NNN.eml with every text part re-encoded by Python's
`email` package in the given transfer encoding (lines cut at 76 characters:
base64 splits every value, quoted-printable writes `=` as `=3D` and breaks long
lines with soft `=` line ends), and the Subject as an RFC 2047 encoded word, as
Thunderbird or a Gmail export leaves them. Used by tst_no_secrets_on_disk.
"""
import email
import email.charset
import email.header
import email.policy
import mailbox
import pathlib
import sys


def reencode(raw: bytes, encoding: str) -> bytes:
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_maintype() != "text":
            continue
        payload = part.get_payload(decode=True) or b""
        charset = part.get_content_charset() or "utf-8"
        cs = email.charset.Charset(charset)
        cs.body_encoding = email.charset.BASE64 if encoding == "base64" else email.charset.QP
        del part["Content-Transfer-Encoding"]
        # set_payload with a Charset encodes the text and sets the header.
        part.set_payload(payload.decode(charset, errors="replace"), cs)
    subject = msg.get("Subject")
    if subject is not None:
        decoded = str(email.header.make_header(email.header.decode_header(subject)))
        words = email.charset.Charset("utf-8")
        words.header_encoding = email.charset.BASE64 if encoding == "base64" else email.charset.QP
        del msg["Subject"]
        msg["Subject"] = email.header.Header(decoded, words, header_name="Subject").encode()
    return msg.as_bytes(policy=email.policy.compat32.clone(linesep="\n"))


def corpus_messages(corpus: pathlib.Path):
    for path in sorted((corpus / "eml").glob("*.eml")):
        yield path.read_bytes()
    for message in mailbox.mbox(str(corpus / "reports.mbox"), create=False):
        yield message.as_bytes(unixfrom=False)


def main(argv):
    if len(argv) != 4 or argv[3] not in ("base64", "quoted-printable"):
        sys.exit(__doc__)
    corpus, out, encoding = pathlib.Path(argv[1]), pathlib.Path(argv[2]), argv[3]
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for n, raw in enumerate(corpus_messages(corpus), start=1):
        (out / f"{n:03d}.eml").write_bytes(reencode(raw, encoding))
    print(n)


if __name__ == "__main__":
    main(sys.argv)
