"""Run one reminder sweep now and send what is due, without a worker (cron-style deployments,
debugging). --dry-run prints who would get what and writes nothing."""

from django.core.mail import get_connection
from django.core.management.base import BaseCommand
from django.utils import timezone

from goals import reminders, sending
from plans.models import OutgoingEmail
from plans.tasks import send_email


class Command(BaseCommand):
    help = "Send the reminder digests that are due now (and any queued email still waiting)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Print who would get what; change nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        now = timezone.now()
        if dry_run:
            self._preview(now)
            return
        result = reminders.sweep(now=now, enqueue=False)
        connection = get_connection()
        try:
            sent = sum(sending.send_delivery(pk, connection=connection) for pk in result.deliveries)
            sent += self._send_stale_deliveries(connection)
        finally:
            connection.close()
        emails = self._send_outbox()
        self.stdout.write(
            f"{result.claimed} due goal(s) claimed, {sent} digest(s) sent, {emails} other email(s) sent."
        )

    def _preview(self, now) -> None:
        preview = reminders.due_preview(now=now)
        for user, goals in preview.items():
            titles = "; ".join(goal.title for goal in goals)
            self.stdout.write(f"{user.email}: {len(goals)} goal(s) due: {titles}")
        self.stdout.write(f"{len(preview)} digest(s) would be sent (dry run: nothing was changed).")

    def _send_stale_deliveries(self, connection) -> int:
        from goals.models import ReminderDelivery

        pending = ReminderDelivery.objects.filter(status=ReminderDelivery.Status.PENDING).values_list(
            "pk", flat=True
        )
        return sum(sending.send_delivery(pk, connection=connection) for pk in pending)

    def _send_outbox(self) -> int:
        pending = list(
            OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING).values_list("pk", flat=True)
        )
        for pk in pending:
            send_email.apply(args=[pk])
        return OutgoingEmail.objects.filter(pk__in=pending, status=OutgoingEmail.Status.SENT).count()
