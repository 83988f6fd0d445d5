"""A real SMTP server for notify's tests: aiosmtpd (Debian's python3-aiosmtpd) on
127.0.0.1, on a port the system picks.

It prints one JSON line per event on stdout:
  {"ready": PORT}                        once listening
  {"mail_from": ..., "rcpt_tos": [...], "data": BASE64, "tls": bool,
   "auth_mechanism": ..., "auth_login": ...}   for each message received
and stops when its standard input closes (the test ended).

Options: --tls CERT KEY offers STARTTLS; --smtps CERT KEY speaks TLS from the first
byte; --user U --password P requires authentication (PLAIN or LOGIN) with them;
--auth-plaintext allows authentication without TLS.
"""

import argparse
import asyncio
import base64
import json
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class Handler:
    async def handle_DATA(self, server, session, envelope):
        emit({
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data": base64.b64encode(envelope.original_content or envelope.content).decode(),
            "tls": session.ssl is not None
                   or server.transport.get_extra_info("sslcontext") is not None,
            "auth_mechanism": getattr(session, "tinhso_mechanism", None),
            "auth_login": getattr(session, "tinhso_login", None),
        })
        return "250 Message accepted for delivery"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = auth_data.login.decode() == user and auth_data.password.decode() == password
        if ok:
            session.tinhso_mechanism = mechanism
            session.tinhso_login = auth_data.login.decode()
        return AuthResult(success=ok, handled=False)
    return check


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--smtps", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--user")
    p.add_argument("--password")
    p.add_argument("--auth-plaintext", action="store_true")
    a = p.parse_args()

    def context(pair):
        if not pair:
            return None
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(pair[0], pair[1])
        return ctx

    starttls = context(a.tls)
    smtps = context(a.smtps)
    kwargs = dict(hostname="smtp.test", decode_data=False)
    if starttls:
        kwargs.update(tls_context=starttls, require_starttls=False)
    if a.user:
        # aiosmtpd counts only STARTTLS as TLS for AUTH; SMTPS is encrypted too.
        kwargs.update(authenticator=authenticator(a.user, a.password),
                      auth_required=True,
                      auth_require_tls=not (a.auth_plaintext or smtps))

    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(Handler(), **kwargs),
                                      host="127.0.0.1", port=0, ssl=smtps)
    emit({"ready": server.sockets[0].getsockname()[1]})

    # Stop when the test closes our standard input.
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    await reader.read()
    server.close()


asyncio.run(main())
