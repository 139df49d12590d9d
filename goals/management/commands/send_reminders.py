"""Run one reminder sweep now and send what is due, without a worker (cron-style deployments,
debugging). --dry-run prints who would get what and writes nothing.

One digest or email that cannot be sent does not stop the rest: each is recorded on its row
(failed with its reason, or pending to try again) and the command exits non-zero at the end,
with the count. Only an SMTP server that cannot be reached stops it early: the rest stay pending
for the next run."""

from django.core.mail import get_connection
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from base import emails
from base.emails import REFUSALS, SMTP_ERRORS
from base.models import OutgoingEmail
from goals.models import ReminderDelivery
from goals.reminders import sending, sweep

# A row in one of these states needs nothing more from the command.
_DONE = ("sent", "skipped")


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
        result = sweep.sweep(now=now, enqueue=False)
        pending = ReminderDelivery.objects.filter(status=ReminderDelivery.Status.PENDING)
        # The sweep's own first, then any left from before (their task lost, or no worker at all).
        delivery_ids = list(dict.fromkeys([*result.deliveries, *pending.values_list("pk", flat=True)]))
        connection = get_connection()
        try:
            sent = self._send_each(delivery_ids, lambda pk: sending.send_delivery(pk, connection=connection))
        finally:
            connection.close()
        email_ids = list(
            OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING).values_list("pk", flat=True)
        )
        sent_emails = self._send_each(email_ids, emails.send_queued)
        self.stdout.write(
            f"{result.claimed} due goal(s) claimed, {sent} digest(s) sent, {sent_emails} other email(s) sent."
        )
        unsent = (
            ReminderDelivery.objects.filter(pk__in=delivery_ids).exclude(status__in=_DONE).count(),
            OutgoingEmail.objects.filter(pk__in=email_ids).exclude(status__in=_DONE).count(),
        )
        if any(unsent):
            raise CommandError(
                f"{unsent[0]} digest(s) and {unsent[1]} other email(s) not sent: failed, or pending to "
                "try again (their errors are in the admin's Reminder deliveries and Outgoing emails)."
            )

    def _send_each(self, ids: list[int], send) -> int:
        """Send each of ``ids`` with ``send`` (True when it left); how many left. A refused message
        is recorded on its row by ``send`` and the rest go on; an SMTP server out of reach stops
        the lot."""
        sent = 0
        for pk in ids:
            try:
                sent += bool(send(pk))
            except REFUSALS:
                continue
            except SMTP_ERRORS as error:
                self.stderr.write(
                    f"The SMTP server cannot be reached ({error}); the rest wait for the next run."
                )
                break
        return sent

    def _preview(self, now) -> None:
        preview = sweep.due_preview(now=now)
        for user, goals in preview.items():
            titles = "; ".join(goal.title for goal in goals)
            self.stdout.write(f"{user.email}: {len(goals)} goal(s) due: {titles}")
        self.stdout.write(f"{len(preview)} digest(s) would be sent (dry run: nothing was changed).")
