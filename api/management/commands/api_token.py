"""manage.py api_token EMAIL --scope read [--scope write] [--days N]: print a new token."""

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from accounts.addresses import normalize_address
from api.models import DEFAULT_DAYS, MAX_DAYS
from api.tokens import token_create


class Command(BaseCommand):
    help = "Make a personal access token for the account with this email and print it (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--scope", action="append", choices=["read", "write"], default=[])
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS)
        parser.add_argument("--name", default="made with manage.py api_token")

    def handle(self, *args, email: str, scope: list[str], days: int, name: str, **options) -> None:
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(f"--days takes 1 to {MAX_DAYS}.")
        user = (
            User.objects.filter(email=normalize_address(email)).order_by("pk").first()
        )  # never iexact (accounts.addresses)
        if user is None:
            raise CommandError(f"No account has the email {email}.")
        _, secret = token_create(user=user, name=name, can_write="write" in scope, days=days)
        self.stdout.write(secret)
