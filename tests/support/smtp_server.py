#!/usr/bin/python3
"""A real SMTP server (aiosmtpd) for ErrorDeck's sending tests, and the
parsers the tests use to read what it received (Python's email package).

  smtp_server.py serve --dir OUT [--cert C --key K] [--starttls-required]
                       [--implicit-tls] [--auth USER:PASS] [--mechanisms PLAIN,LOGIN]
                       [--reject ADDR]... [--silent]
      Listens on 127.0.0.1 (a free port), prints "PORT <n>" once ready and
      runs until its standard input closes. Each message becomes OUT/NNNN.eml
      (exactly the DATA received) and OUT/NNNN.json (envelope, AUTH, TLS).
      --silent accepts connections and never answers (for timeouts and
      Cancel); it prints "ACCEPTED" for each connection.
  smtp_server.py cert --cert C --key K --name NAME [--ip IP] [--expired]
      A self-signed certificate (its own CA) for NAME (and IP), made with
      python3-cryptography; --expired: valid from 10 days ago to yesterday
      (bookworm's openssl 3.0 cannot date a certificate in the past).
  smtp_server.py parse FILE.eml
      The message as JSON: decoded headers and the text parts.
  smtp_server.py corpus DIR
      Django's e-mails in DIR (file-backend .log files) as JSON: subject and
      what identifies the request (method, path, client address, referer).
"""
import argparse
import ast
import email
import email.policy
import glob
import json
import os
import re
import socket
import ssl
import sys
import threading


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Recorder:
    def __init__(self, out_dir, reject):
        self.out_dir = out_dir
        self.reject = {a.lower() for a in reject}
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            return '550 5.1.1 <%s>: Recipient address rejected: User unknown' % address
        envelope.rcpt_tos.append(address)
        return '250 OK'

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        base = os.path.join(self.out_dir, '%04d' % n)
        with open(base + '.eml', 'wb') as f:
            f.write(envelope.original_content or envelope.content)
        auth = getattr(session, 'auth_data', None)
        if isinstance(auth, bytes):
            auth = auth.decode('utf-8', 'replace')
        meta = {
            'mail_from': envelope.mail_from,
            'rcpt_tos': envelope.rcpt_tos,
            'auth_login': auth if isinstance(auth, str) else None,
            'auth_mechanism': getattr(session, 'ed_mechanism', None),
            'tls': session.ssl is not None or server.transport.get_extra_info('sslcontext') is not None,
        }
        with open(base + '.json.tmp', 'w') as f:
            json.dump(meta, f)
        os.rename(base + '.json.tmp', base + '.json')  # the test waits for the .json
        return '250 2.0.0 Ok: queued as ED%04d' % n


def serve(args):
    os.makedirs(args.dir, exist_ok=True)
    port = free_port()
    if args.silent:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(('127.0.0.1', port))
        listener.listen(8)
        held = []

        def accept():
            while True:
                try:
                    conn, _ = listener.accept()
                except OSError:
                    return
                held.append(conn)  # never answered, never closed
                print('ACCEPTED', flush=True)  # the client got through and now waits

        threading.Thread(target=accept, daemon=True).start()
        print('PORT %d' % port, flush=True)
        sys.stdin.read()
        return

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    context = None
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    params = {}
    if args.auth:
        user, password = args.auth.split(':', 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            session.ed_mechanism = mechanism
            if (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user
                    and auth_data.password.decode() == password):
                return AuthResult(success=True, auth_data=user)
            return AuthResult(success=False, handled=False)

        params['authenticator'] = authenticator
        params['auth_required'] = True
        # aiosmtpd only counts STARTTLS as TLS; implicit TLS is TLS all along.
        params['auth_require_tls'] = bool(context) and not args.implicit_tls
        if args.mechanisms:
            wanted = {m.strip().upper() for m in args.mechanisms.split(',')}
            params['auth_exclude_mechanism'] = [m for m in ('PLAIN', 'LOGIN') if m not in wanted]

    handler = Recorder(args.dir, args.reject)
    if context and args.implicit_tls:
        controller = Controller(handler, hostname='127.0.0.1', port=port, ssl_context=context, **params)
    elif context:
        controller = Controller(handler, hostname='127.0.0.1', port=port, tls_context=context,
                                require_starttls=args.starttls_required, **params)
    else:
        controller = Controller(handler, hostname='127.0.0.1', port=port, **params)
    controller.start()
    print('PORT %d' % port, flush=True)
    try:
        sys.stdin.read()  # until the test closes our stdin or dies
    finally:
        controller.stop()


def parse(args):
    with open(args.file, 'rb') as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    out = {
        'headers': [[k, str(v)] for k, v in msg.items()],
        'subject': str(msg['Subject']) if msg['Subject'] is not None else None,
        'from': [a.addr_spec for a in msg['From'].addresses] if msg['From'] else [],
        'to': [a.addr_spec for a in msg['To'].addresses] if msg['To'] else [],
        'cc': [a.addr_spec for a in msg['Cc'].addresses] if msg['Cc'] else [],
        'bcc': [a.addr_spec for a in msg['Bcc'].addresses] if msg['Bcc'] else [],
        'date': str(msg['Date']) if msg['Date'] else None,
        'message_id': str(msg['Message-ID']) if msg['Message-ID'] else None,
        'content_type': msg.get_content_type(),
        'defects': [type(d).__name__ for d in msg.defects],
        'parts': [],
    }
    for part in msg.walk():
        if part.is_multipart():
            continue
        out['parts'].append({
            'content_type': part.get_content_type(),
            'charset': part.get_content_charset(),
            'transfer_encoding': part.get('Content-Transfer-Encoding'),
            'text': part.get_content(),
        })
    json.dump(out, sys.stdout)


def cert(args):
    import datetime
    import ipaddress
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, args.name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    if args.expired:
        begin, end = now - datetime.timedelta(days=10), now - datetime.timedelta(days=1)
    else:
        begin, end = now - datetime.timedelta(hours=1), now + datetime.timedelta(days=2)
    alt = [x509.DNSName(args.name)] + ([x509.IPAddress(ipaddress.ip_address(args.ip))] if args.ip else [])
    certificate = (x509.CertificateBuilder()
                   .subject_name(name).issuer_name(name)
                   .public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(begin).not_valid_after(end)
                   .add_extension(x509.SubjectAlternativeName(alt), critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    with open(args.key, 'wb') as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    with open(args.cert, 'wb') as f:
        f.write(certificate.public_bytes(serialization.Encoding.PEM))


def literal(text):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def corpus(args):
    out = []
    for path in sorted(glob.glob(os.path.join(args.dir, '*.log'))):
        with open(path, 'rb') as f:
            data = f.read()
        for chunk in data.split(b'\n' + b'-' * 79 + b'\n'):
            if not chunk.strip():
                continue
            msg = email.message_from_bytes(chunk, policy=email.policy.default)
            plain = msg.get_body(preferencelist=('plain',))
            text = plain.get_content() if plain else ''
            item = {'subject': str(msg['Subject']), 'file': os.path.basename(path),
                    'text': text, 'has_html': msg.get_body(preferencelist=('html',)) is not None}
            if 'Requested URL: ' in text:
                fields = dict(re.findall(r'^(Referrer|Requested URL|User agent|IP address): ?(.*)$', text, re.M))
                item.update(kind='404', method='GET', path=fields.get('Requested URL'),
                            ip=fields.get('IP address'), referer=fields.get('Referrer', ''))
            else:
                meta = dict(re.findall(r"^(REQUEST_METHOD|PATH_INFO|REMOTE_ADDR) = (.*)$", text, re.M))
                url = re.search(r'^Request URL: (.*)$', text, re.M)
                if meta:
                    item.update(kind='request', method=literal(meta.get('REQUEST_METHOD', '')), url=url.group(1) if url else '',
                                path=literal(meta.get('PATH_INFO', '')), ip=literal(meta.get('REMOTE_ADDR', '')))
                else:
                    item.update(kind='norequest', message=text.split('\n', 1)[0])
            out.append(item)
    json.dump(out, sys.stdout)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest='cmd', required=True)
    s = sub.add_parser('serve')
    s.add_argument('--dir', required=True)
    s.add_argument('--cert')
    s.add_argument('--key')
    s.add_argument('--starttls-required', action='store_true')
    s.add_argument('--implicit-tls', action='store_true')
    s.add_argument('--auth')
    s.add_argument('--mechanisms')
    s.add_argument('--reject', action='append', default=[])
    s.add_argument('--silent', action='store_true')
    s.set_defaults(func=serve)
    k = sub.add_parser('cert')
    k.add_argument('--cert', required=True)
    k.add_argument('--key', required=True)
    k.add_argument('--name', required=True)
    k.add_argument('--ip')
    k.add_argument('--expired', action='store_true')
    k.set_defaults(func=cert)
    q = sub.add_parser('parse')
    q.add_argument('file')
    q.set_defaults(func=parse)
    c = sub.add_parser('corpus')
    c.add_argument('dir')
    c.set_defaults(func=corpus)
    args = p.parse_args()
    args.func(args)


if __name__ == '__main__':
    main()
