#!/usr/bin/python3
"""A TLS proxy in front of a test's Dovecot that drops the connection in the
middle of one message: the IMAP "dropped mid-fetch" failure, reproducibly.

    imap_cutting_proxy.py CERT KEY UPSTREAM_PORT CUT_UID CUT_AFTER_BYTES

Speaks TLS to the client with the server's certificate and key, and TLS to
Dovecot on 127.0.0.1:UPSTREAM_PORT, so it reads the commands in clear. The
first time the client sends "UID FETCH CUT_UID", it passes on only the first
CUT_AFTER_BYTES of the answer and then aborts both connections (no TLS
close_notify, no tagged reply), as a network that fails would. Every other
connection and command passes through untouched. Prints "PORT n" once it
listens; "CUT uid" when it has cut.
"""
import asyncio
import re
import ssl
import sys

cert, key, upstream_port, cut_uid, cut_after = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
state = {"cut": False}
FETCH = re.compile(rb"^\S+ UID FETCH (\d+) ", re.I | re.M)


async def relay(client_reader, client_writer):
    upstream = ssl.create_default_context()
    upstream.check_hostname = False
    upstream.verify_mode = ssl.CERT_NONE
    server_reader, server_writer = await asyncio.open_connection("127.0.0.1", upstream_port, ssl=upstream)
    cutting = asyncio.Event()

    def abort():
        client_writer.transport.abort()
        server_writer.transport.abort()

    async def to_server():
        try:
            while data := await client_reader.read(65536):
                m = FETCH.search(data)
                if m and m.group(1).decode() == cut_uid and not state["cut"]:
                    state["cut"] = True
                    cutting.set()
                server_writer.write(data)
                await server_writer.drain()
        except (ConnectionError, ssl.SSLError):
            pass
        server_writer.transport.abort()

    async def to_client():
        passed = 0
        try:
            while data := await server_reader.read(65536):
                if cutting.is_set():
                    data = data[: max(0, cut_after - passed)]
                    passed += len(data)
                    client_writer.write(data)
                    await client_writer.drain()
                    if passed >= cut_after:
                        print("CUT", cut_uid, flush=True)
                        abort()
                        return
                    continue
                client_writer.write(data)
                await client_writer.drain()
        except (ConnectionError, ssl.SSLError):
            pass
        client_writer.transport.abort()

    await asyncio.gather(to_server(), to_client())


async def main():
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    server = await asyncio.start_server(relay, "127.0.0.1", 0, ssl=ctx)
    print("PORT", server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
