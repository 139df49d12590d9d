"""Run the test OpenID Connect provider: `python -m tests.sso.provider.serve CLIENT_ID SECRET`.

Migrates its SQLite database, registers CareerPath as a confidential client (code flow, RS256 ID
tokens, no consent screen), binds a free loopback port and prints "listening <port>" once it
accepts connections, so the fixture waits on that line, not on a clock."""

import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.sso.provider.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from oauth2_provider.models import get_application_model  # noqa: E402


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args) -> None:  # noqa: A002
        pass


def main(client_id: str, secret: str) -> None:
    call_command("migrate", verbosity=0)
    Application = get_application_model()
    Application.objects.update_or_create(
        client_id=client_id,
        defaults={
            "name": "CareerPath",
            "client_secret": secret,
            "hash_client_secret": False,
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "algorithm": Application.RS256_ALGORITHM,
            "skip_authorization": True,
            "redirect_uris": "",
        },
    )
    server = make_server("127.0.0.1", 0, get_wsgi_application(), ThreadingServer, QuietHandler)
    print("listening", server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:3])
