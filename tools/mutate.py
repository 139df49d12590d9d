"""Mutation testing of a few modules against the tests that concern them (`make mutate`).

    .venv/bin/python tools/mutate.py goals/reminders/schedule.py [plans/sharing/throttle.py …] [--tests "tests/x.py …"]
    .venv/bin/python tools/mutate.py goals/reminders/sweep.py --mutants "goals.reminders.sweep.x_due_preview__mutmut_*"

mutmut (pinned in requirements-dev.txt; settings in pyproject.toml's [tool.mutmut]) copies the
app into mutants/, mutates the named modules there, runs the tests named for them in TESTS below
(or --tests) once to learn which test reaches which function, then runs, for each mutant, the
tests that reach its function. This prints, per module, the mutants killed out of those that
count (all but the ones judged equivalent in EQUIVALENT below), and the diff of every mutant that
survived. docs/mutation-testing.md keeps the scores and the reasons.

One mutant at a time: the tests share one SQLite file (mutants/var/), and the machine is shared.
Every run starts from a fresh mutants/ folder, which it leaves for `.venv/bin/mutmut show NAME`.
"""

import argparse
import fcntl
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from glob import glob
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The import's tests (goals/portability/: reading, checking, preview, writing, throttle), which go
# through every step from the upload to the written rows.
IMPORT_TESTS = [
    "tests/goals/test_import*.py",
    "tests/goals/test_plan_industry_export.py",
    "tests/goals/test_export*.py",
]

# The tests that concern each module: what exercises its behaviour, directly or through the
# models, views and tasks that call it. Globs, from the project's root.
# What the digest says, whichever module builds that part of it.
DIGEST_TESTS = [
    "tests/goals/test_digest_*.py",
    "tests/goals/test_reminders.py",
    "tests/goals/test_unsubscribe_link.py",
    "tests/goals/test_due_boundaries.py",
    "tests/goals/test_reminder_preview.py",  # the settings page: the next digest, and why it goes out
    "tests/goals/test_one_on_one_dates.py",  # a 1:1 coming up in the digest
]
# Standard ids on skills, roles and certifications (issue 27): the model and admin, the ladder
# file, the public pages' attribution, the taxonomy drafts, and a plan export carrying them.
SOURCE_TESTS = [
    "tests/skills/test_ladder_sources.py",
    "tests/skills/test_admin_sources.py",
    "tests/skills/test_role_attribution.py",
    "tests/skills/test_taxonomy*.py",
    "tests/goals/test_export_sources.py",
    "tests/skills/test_sources_*.py",
]
TESTS = {
    "goals/reminders/schedule.py": [
        "tests/goals/test_reminder_slot*.py",
        "tests/goals/test_reminder_schedule*.py",
        "tests/goals/test_reminder_pause.py",
        "tests/goals/test_reminder_settings.py",
        "tests/goals/test_due_boundaries.py",
        "tests/goals/test_schedule_*.py",
    ],
    "goals/reminders/sweep.py": [
        "tests/goals/test_reminders.py",
        "tests/goals/test_reminder_pause.py",
        "tests/goals/test_due_boundaries.py",
        "tests/goals/test_digest_sets.py",
        "tests/goals/test_sending_*.py",
        "tests/goals/test_sweep_*.py",
        "tests/goals/test_claim_*.py",
        "tests/plans/test_page_freshness.py",
    ],
    "goals/reminders/sending.py": [
        "tests/goals/test_reminders.py",
        "tests/goals/test_digest_sets.py",
        "tests/goals/test_sending_*.py",
    ],
    "base/emails.py": [
        "tests/plans/test_email_layer.py",
        "tests/plans/test_sharing.py",
        "tests/plans/test_mentor_loop.py",
        "tests/goals/test_sending_*.py",
        "tests/goals/test_goal_comments.py",
        "tests/core/test_degraded.py",
        "tests/accounts/test_signup.py",
        "tests/accounts/test_allauth_wording.py",
        "tests/accounts/test_deletion_outbox.py",
    ],
    "goals/reminders/digest.py": DIGEST_TESTS,
    "goals/reminders/plan_facts.py": DIGEST_TESTS,
    "goals/reminders/tokens.py": [*DIGEST_TESTS, "tests/goals/test_sign_in_from_link.py"],
    "base/limits.py": [
        "tests/plans/test_sharing.py",
        "tests/plans/test_throttle_*.py",
        "tests/core/test_limits*.py",
    ],
    "plans/sharing/throttle.py": [
        "tests/plans/test_sharing.py",
        "tests/plans/test_throttle_*.py",
    ],
    "accounts/deletion.py": [
        "tests/accounts/test_account_deletion*.py",
        "tests/accounts/test_deletion_*.py",
    ],
    "plans/deletion.py": [
        "tests/accounts/test_account_deletion*.py",
        "tests/accounts/test_deletion_*.py",
        "tests/plans/test_deletion*.py",
    ],
    "goals/portability/export.py": IMPORT_TESTS,
    "goals/portability/checking.py": IMPORT_TESTS,
    "goals/portability/preview.py": IMPORT_TESTS,
    "goals/portability/writing.py": IMPORT_TESTS,
    "goals/portability/throttle.py": IMPORT_TESTS,
    # Issue 27's standard ids: the rule for an id, and where the ladder and the plan import read,
    # match and write them (for the ladder's modules and the import's, with MUTANTS= naming those
    # functions: their whole lists are slow, IMPORT_TESTS above).
    "skills/sources.py": SOURCE_TESTS,
    "skills/ladder/validation.py": SOURCE_TESTS,
    "skills/ladder/writing.py": SOURCE_TESTS,
    "skills/ladder/export.py": SOURCE_TESTS,
    "careerpath/middleware.py": [
        "tests/core/test_bad_input*.py",
        "tests/core/test_uploads.py",
        "tests/core/test_htmx_login.py",
        "tests/core/test_security_headers.py",
        "tests/core/test_input_guard*.py",
        "tests/core/test_private_pages*.py",
    ],
}


@dataclass(frozen=True)
class Equivalent:
    """A mutant no test can kill, because the program behaves the same with it: recognised by
    its module and the line it changes (mutmut's numbers move whenever the code does). With
    ``mutated`` None, every mutant of that line. With ``not_run_on``, a line that database never
    runs (PostgreSQL's SQL): not counted there, counted on the other."""

    module: str
    original: str
    mutated: str | None
    reason: str
    not_run_on: str | None = None


POSTGRESQL_ONLY = "PostgreSQL's SQL, which SQLite never runs: run on PostgreSQL to test it"

# Each is listed in docs/mutation-testing.md with the same reason.

# The modules the digest is built in: an equivalent mutant of one is recognised by its line,
# wherever that line now lives.
DIGEST_MODULES = ("goals/reminders/digest.py", "goals/reminders/plan_facts.py", "goals/reminders/tokens.py")


def _holding(line: str, *modules: str) -> str:
    """The first of ``modules`` whose source has ``line``."""
    return next((m for m in modules if line in (ROOT / m).read_text()), modules[0])


EQUIVALENT: list[Equivalent] = [
    Equivalent(
        "goals/reminders/schedule.py",
        "if not_before is not None and day < not_before:",
        "if not_before is not None and day <= not_before:",
        "a slot on the very date the pause ends is recomputed as the first slot on or after that "
        "date, which is the same day (it falls on their weekday), so the same slot",
    ),
    Equivalent(
        "base/limits.py",
        "LimitUse.objects.create(scope=self.scope, key=str(key), at=now)",
        "LimitUse.objects.create(scope=self.scope, key=str(key), )",
        "LimitUse.at defaults to timezone.now(), the same moment",
    ),
    *(
        Equivalent("goals/reminders/sweep.py", line, None, POSTGRESQL_ONLY, not_run_on="sqlite")
        for line in (
            'columns = [f"column{i}" for i in range(1, len(pg_types) + 1)]',
            'if connection.vendor == "postgresql":',
            'arrays = ", ".join(f"%s::{pg_type}[]" for pg_type in pg_types)',
            "params = [list(column) for column in zip(*rows, strict=True)]",
            "return f\"unnest({arrays}) AS v({', '.join(columns)})\", params",
            '("bigint", "timestamptz", "timestamptz"),',
            '("integer", "date", "jsonb"),',
            '.select_for_update(skip_locked=True, of=("self",))',
        )
    ),
    *(
        Equivalent(
            "goals/reminders/sweep.py",
            "f\"WHERE true ON CONFLICT ({ops.quote_name('user_id')}, {ops.quote_name('period')}) DO NOTHING\"",
            f"f\"WHERE true ON CONFLICT ({{ops.quote_name('{user}')}}, {{ops.quote_name('{period}')}}) DO NOTHING\"",
            "SQLite reads quoted names in any case; PostgreSQL does not: run on PostgreSQL to test it",
            not_run_on="sqlite",
        )
        for user, period in (("USER_ID", "period"), ("user_id", "PERIOD"))
    ),
    *(
        Equivalent("goals/reminders/sweep.py", line, None, reason)
        for line, reason in (
            (
                "returning = connection.features.can_return_columns_from_insert",
                "without RETURNING every owner takes the lookup of pending deliveries, which finds the "
                "rows just inserted: the same ids (it is the way for a database that cannot return)",
            ),
            (
                '+ (" RETURNING id, user_id" if returning else "")',
                "SQL keywords and unquoted names read alike in any case; without the clause the lookup "
                "finds the same ids; the else branch is for databases that cannot return (neither ours)",
            ),
            (
                "return {owner: pk for pk, owner in cursor.fetchall()} if returning else {}",
                "an empty answer sends every owner to the lookup of pending deliveries, which finds the "
                "same ids; SQLite and PostgreSQL both return",
            ),
        )
    ),
    Equivalent(
        "goals/reminders/sweep.py",
        "EmailAddress.objects.filter(user_id__in=owners, primary=True, verified=True).values_list(",
        "EmailAddress.objects.filter(primary=True, verified=True).values_list(",
        "reads everyone's verified addresses, but only the batch's owners are looked up in the answer",
    ),
    Equivalent(
        "goals/reminders/sweep.py",
        'ids = list(stale.values_list("pk", flat=True)[: emails.REQUEUE_BATCH])',
        "ids = list(stale.values_list(flat=True)[: emails.REQUEUE_BATCH])",
        "values_list(flat=True) without a field is the primary key",
    ),
    *(
        Equivalent(
            "goals/reminders/sweep.py",
            'reachable = _verified_owners(set(goals.values_list("plan__owner_id", flat=True)))',
            f'reachable = _verified_owners(set(goals.values_list("plan__owner_id", {flat})))',
            "without flat the owners come as one-element tuples, and _verified_owners filters "
            "user_id__in on them: a lookup through a foreign key reads a one-element tuple as its "
            "value (django.db.models.fields.related_lookups.get_normalized_value), the same ids",
        )
        for flat in ("flat=None", "flat=False", "")
    ),
    Equivalent(
        "goals/reminders/sweep.py",
        '.select_related("plan__owner")',
        ".select_related(None)",
        "the owners are then read one query each: slower, the same answer",
    ),
    *(
        Equivalent("goals/reminders/sending.py", original, mutated, reason)
        for original, mutated, reason in (
            (
                'Exists, ~Exists(ReminderSettings.objects.filter(user=OuterRef("user"), unsubscribed_at__isnull=False))',
                'None, ~Exists(ReminderSettings.objects.filter(user=OuterRef("user"), unsubscribed_at__isnull=False))',
                "typing.cast returns its value unchanged at run time; the type is for mypy only",
            ),
            (
                '"user", "user__reminder_settings"',
                None,
                'select_related("user__reminder_settings") joins the user too; without the settings '
                "build_digests reads them in one query for the whole set: one query more, the same answer",
            ),
            (
                "for delivery, digest in zip(deliveries, digests, strict=True)",
                None,
                "_build returns one digest (or its exception) per delivery, in order: the lengths are "
                "always equal, and strict only checks that",
            ),
            (
                'delivery = rows.select_related("user").get()',
                "delivery = rows.select_related(None).get()",
                "the user is then read in a query of its own: one query more, the same answer",
            ),
        )
    ),
    *(
        Equivalent(
            "goals/reminders/plan_facts.py"
            if keys.startswith('"-is_primary"')
            else "goals/reminders/digest.py",
            f'.order_by({keys}, "pk")',
            f".order_by({keys}, )",
            "SQLite reads the rows in pk order and its sort keeps that order for equal keys, so the pk "
            "tie-break shows only on PostgreSQL",
            not_run_on="sqlite",
        )
        for keys in ('"-is_primary", "-created_at"', '"deadline"', '"due_date"', '"expires_on"')
    ),
    Equivalent(
        "goals/reminders/digest.py",
        '.order_by("starts_at", "pk")',
        '.order_by("starts_at", )',
        "SQLite reads the rows in pk order and its sort keeps that order for equal keys, so the pk "
        "tie-break shows only on PostgreSQL",
        not_run_on="sqlite",
    ),
    *(
        Equivalent(
            "goals/reminders/digest.py",
            '.select_related("plan__owner", "share__user")',
            mutated,
            "the plan's owner or the share's user is then read one query each 1:1 (its plan's "
            "owner id is a column): slower, the same digest",
        )
        for mutated in ('.select_related("share__user")', '.select_related("plan__owner", )')
    ),
    Equivalent(
        "goals/reminders/plan_facts.py",
        "return Subquery(rows.values(date_field)[:1])",
        "return Subquery(rows.values(date_field)[:2])",
        "SQLite takes a scalar subquery's first row; PostgreSQL refuses a second: run on PostgreSQL",
        not_run_on="sqlite",
    ),
    *(
        Equivalent(_holding(original, *DIGEST_MODULES), original, mutated, reason)
        for original, mutated, reason in (
            (
                '.select_related("target_role")',
                ".select_related(None)",
                'prefetch_related("target_role__recommended_certifications") then reads the roles, in '
                "one query for all the plans: one query more, the same answer",
            ),
            (
                "due_date__lte=ahead,",
                ")",
                "milestones due later are read too, then left out by each person's own week "
                "(m.due_date <= soon): slower, the same digest",
            ),
            (
                "prefs[pk] = saved.get(pk) or ReminderSettings(user=user)",
                "prefs[pk] = saved.get(pk) or ReminderSettings(user=None)",
                "unsaved default settings are read for their values only (zone, hour, weekday, "
                "subscribed), never saved, and the digest takes its user from the request",
            ),
            *(
                (
                    'payload: CheckInLink = {"goal": goal.pk, "user": goal.plan.owner_id}',
                    f'payload: CheckInLink = {{"goal": goal.pk, "{key}": goal.plan.owner_id}}',
                    "the link's reader (goals.reminders.links) looks the goal up among the signed-in "
                    "person's own goals; the user the link carries is never read",
                )
                for key in ("XXuserXX", "USER")
            ),
            (
                "token = signing.dumps(payload, salt=CHECK_IN_LINK_SALT, compress=True)",
                None,
                "compression only shortens the token, when it helps; signing.loads reads it either "
                "way: the same link works",
            ),
            (
                '"user": self.user,',
                None,
                "no digest template reads user (they read name and digest)",
            ),
            *(
                (
                    original,
                    mutated,
                    "without the progress passed in, progress_percent and track_status work it out "
                    "again from the goal's latest measurement (Goal.progress()): the same number",
                )
                for original, mutated in (
                    ("progress = goal.progress(value)", None),
                    ("percent=goal.progress_percent(progress),", "percent=goal.progress_percent(None),"),
                    (
                        "status=goal.track_status(today, progress=progress).label,",
                        "status=goal.track_status(today, progress=None).label,",
                    ),
                    (
                        "status=goal.track_status(today, progress=progress).label,",
                        "status=goal.track_status(today, ).label,",
                    ),
                )
            ),
        )
    ),
    *(
        Equivalent("goals/reminders/plan_facts.py", original, mutated, reason)
        for original, mutated, reason in (
            (
                "ReminderDelivery.objects.filter(user__in=owners, status=ReminderDelivery.Status.SENT)",
                "ReminderDelivery.objects.filter(status=ReminderDelivery.Status.SENT)",
                "reads everyone's last digest, but only the set's owners are looked up in the answer",
            ),
            (
                "changes = requirement_changes(role_ids, since=floor) if role_ids else []",
                "changes = requirement_changes(role_ids, since=floor) if (role_ids) or True else []",
                "without plans there are no roles: requirement_changes of none reads nothing and finds "
                "nothing, one query more",
            ),
            *(
                (
                    "changes = requirement_changes(role_ids, since=floor) if role_ids else []",
                    mutated,
                    "without since the roles' whole history is read, not only the last "
                    "REQUIREMENT_CHANGES_DAYS; each plan then skips every change up to its own since, "
                    "never before that floor: the same changes",
                )
                for mutated in (
                    "changes = requirement_changes(role_ids, since=None) if role_ids else []",
                    "changes = requirement_changes(role_ids, ) if role_ids else []",
                )
            ),
            *(
                (
                    original,
                    "None,",
                    "the digest reads a change's skill name and its levels before and after (its "
                    "templates, and which changes are told); the role's and the skill's ids are read "
                    "from the change as it comes from the history, not from this copy",
                )
                for original in ("role.pk,", "change.skill_id,")
            ),
            (
                "at=change.at,",
                "at=None,",
                "the digest reads a change's skill name and its levels before and after; when it "
                "happened is read from the change as it comes from the history, not from this copy",
            ),
        )
    ),
    *(
        Equivalent(
            "goals/reminders/tokens.py",
            "signed_at = signing.b62_decode(token.rsplit(signer.sep, 2)[1])",
            f"signed_at = signing.b62_decode({mutated})",
            "a signed token is value:timestamp:signature, its value URL-safe base64 (a leading '.' "
            "when compressed) with no ':', and unsign_object has checked the whole token before: it "
            "splits into the same three parts however it is split",
        )
        for mutated in (
            "token.rsplit(signer.sep, )[1]",
            "token.split(signer.sep, 2)[1]",
            "token.rsplit(signer.sep, 3)[1]",
        )
    ),
    *(
        Equivalent("careerpath/middleware.py", original, mutated, reason)
        for original, mutated, reason in (
            *(
                (
                    r'or "\x00" in request.META.get("QUERY_STRING", "")',
                    mutated,
                    "a NUL in the raw query string is also in request.GET (parse_qsl keeps every pair "
                    "that is not empty), which the same condition reads next: the same 400",
                )
                for mutated in (
                    r'or "XX\x00XX" in request.META.get("QUERY_STRING", "")',
                    r'or "\x00" in request.META.get(None, "")',
                    r'or "\x00" in request.META.get("XXQUERY_STRINGXX", "")',
                    r'or "\x00" in request.META.get("query_string", "")',
                    r'or "\x00" in request.META.get("QUERY_STRING", "XXXX")',
                )
            ),
            (
                'if request.method == "POST" and request.content_type in FORM_TYPES:',
                'if request.method == "POST" or request.content_type in FORM_TYPES:',
                "Django parses a body only for a POST of these two types: any other request's POST "
                "is empty and reads nothing",
            ),
            (
                "return bad_request(request, SuspiciousOperation(problem))",
                None,
                "Django's bad_request renders 400.html without the exception",
            ),
            (
                'getattr(request, "htmx", False)',
                None,
                "django_htmx's HtmxMiddleware, earlier in MIDDLEWARE, always sets request.htmx "
                "(and None is as false as False)",
            ),
            (
                'user = getattr(request, "user", None)',
                'user = getattr(request, "user", )',
                "AuthenticationMiddleware, earlier in MIDDLEWARE, always sets request.user",
            ),
            *(
                (original, original.replace(name, other), "HTTP header names are read in any case")
                for original, name in (
                    ('and response["Location"].startswith(login_url)', "Location"),
                    ('return HttpResponseClientRedirect(response["Location"])', "Location"),
                    (
                        'if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):',
                        "Cache-Control",
                    ),
                )
                for other in (name.lower(), name.upper())
            ),
        )
    ),
    *(
        Equivalent("plans/deletion.py", original, mutated, reason)
        for original, mutated, reason in (
            (
                'plan_ids = list(CareerPlan.objects.filter(owner=user).values_list("pk", flat=True))',
                "plan_ids = list(CareerPlan.objects.filter(owner=user).values_list(flat=True))",
                "values_list(flat=True) without a field is the primary key",
            ),
            (
                "Share.objects.filter(Q(user=user) | Q(user__isnull=True, email__in=addresses)).delete()",
                "Share.objects.filter(Q(user=user) | Q(email__in=addresses)).delete()",
                "a share bound to someone is at one of their verified addresses (share_accept; "
                "shares_end_for_address unbinds it when the address leaves), and a verified address "
                "is on one account only: an accepted share at one of theirs is theirs",
            ),
            (
                'Q(to__in=addresses) | Q(caused_by=user) | Q(kind="plan_invitation", reply_to__in=addresses)',
                "Q(to__in=addresses) | Q(caused_by=user) | Q(reply_to__in=addresses)",
                "only invitations are written with a reply-to (plans.sharing.emails.invitation_send)",
            ),
            (
                'return [share.user for share in plan.shares.filter(user__isnull=False).select_related("user")]',
                "return [share.user for share in plan.shares.filter(user__isnull=False).select_related(None)]",
                "the mentors are then read one query each: slower, the same answer",
            ),
        )
    ),
    *(
        Equivalent("goals/portability/export.py", original, mutated, reason)
        for original, mutated, reason in (
            *(
                (
                    'plans = list(CareerPlan.objects.owned_by(user).order_by("created_at", "pk"))',
                    f"plans = list(CareerPlan.objects.owned_by(user).order_by({order}))",
                    "_document reads the plans again, in the order the export lists them",
                )
                for order in ('"pk"', '"created_at", ')
            ),
            (
                'if error.validator == "maxItems":  # jsonschema\'s own message quotes the whole list',
                None,
                "skills.ladder.errors.explain, which every other error goes to, says the same sentence "
                "for a list too long",
            ),
            (
                'message = FORMAT_PROBLEMS.get(error.validator_value, f"is not a {error.validator_value}")',
                None,
                "the schema names only the formats date and date-time, both in FORMAT_PROBLEMS "
                "(tests/goals/test_export.py checks the schema's formats)",
            ),
            *(
                (line, mutated, f"{model}'s own ordering is {order}, the same")
                for line, model, order in (
                    (
                        'Prefetch("check_ins", queryset=CheckIn.objects.order_by("checked_on", "pk")),',
                        "CheckIn",
                        "checked_on, pk",
                    ),
                    (
                        'Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")),',
                        "Milestone",
                        "due_date, pk",
                    ),
                )
                for mutated in (
                    line.split(", queryset=")[0] + ", queryset=None),",
                    line.split(", queryset=")[0] + ", ),",
                )
            ),
            (
                "counter[kind] += 1",
                "counter[kind] += 2",
                "the ids belong to the document and only link a check-in to its self-assessment: "
                "plan-2, plan-4 are as unique as plan-1, plan-2",
            ),
            (
                'return json.dumps(document, indent=2, ensure_ascii=False) + "\\n"',
                'return json.dumps(document, indent=2, ensure_ascii=None) + "\\n"',
                "json reads ensure_ascii as true or false: None is as false as False",
            ),
        )
    ),
    # Rows of the same moment (or day) in primary-key order: SQLite reads them in that order
    # whatever the ORDER BY says, PostgreSQL need not.
    *(
        Equivalent(
            "goals/portability/export.py",
            original,
            original.replace(', "pk")', ", )"),
            "SQLite gives rows that tie on the first column in primary-key order anyway: run on "
            "PostgreSQL to test it",
            not_run_on="sqlite",
        )
        for original in (
            '.order_by("created_at", "pk")',
            'queryset=SkillAssessment.objects.select_related("skill").order_by("assessed_at", "pk"),',
            '"activities", queryset=Activity.objects.prefetch_related("skills").order_by("date", "pk")',
            'Prefetch("comments", queryset=Comment.objects.filter(author=author).order_by("created_at", "pk")),',
            'Prefetch("check_ins", queryset=CheckIn.objects.order_by("checked_on", "pk")),',
            'Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "pk")),',
            '"comments", queryset=GoalComment.objects.filter(author=author).order_by("created_at", "pk")',
        )
    ),
    *(
        Equivalent("goals/portability/checking.py", original, mutated, reason)
        for original, mutated, reason in (
            *(
                (
                    'cast("models.Field[Any, Any]", model._meta.get_field(name)).clean(value, None)',
                    f"cast({type_}, model._meta.get_field(name)).clean(value, None)",
                    "cast's type is for mypy: at run time cast returns its value",
                )
                for type_ in (
                    "None",
                    '"XXmodels.Field[Any, Any]XX"',
                    '"models.field[any, any]"',
                    '"MODELS.FIELD[ANY, ANY]"',
                )
            ),
            *(
                (
                    original,
                    None,
                    "every date-time a document gives is refused by the schema's date-time format "
                    "(RFC 3339: a date and time with its offset) before the checker reads it, with the "
                    "schema's own message: moment's words for text that is no date and time, or has no "
                    "offset, are never shown",
                )
                for original in (
                    'raise ValueError(f"{show(text)} is not a date and time: write it as {MOMENT_EXAMPLE}") from None',
                    'f"{show(text)} has no offset from UTC: write the time with its offset, as {MOMENT_EXAMPLE}"',
                )
            ),
            *(
                (
                    "value = moment(value, now=self.now)",
                    mutated,
                    "moment then reads the clock itself, later in the same check by the time the "
                    "check takes; the latest moment allowed is a day past it: no test clock (frozen "
                    "or ticking) and no file can fall between the two reads",
                )
                for mutated in ("value = moment(value, now=None)", "value = moment(value, )")
            ),
            *(
                (
                    "exclude=_all_but(model, checked), validate_unique=False, validate_constraints=constraints",
                    mutated,
                    "no field the checker sets is unique, and Django skips every unique check that "
                    "involves an excluded field (the plan, the skill, the user): the same answer",
                )
                for mutated in (
                    "exclude=_all_but(model, checked), validate_unique=None, validate_constraints=constraints",
                    "exclude=_all_but(model, checked), validate_unique=True, validate_constraints=constraints",
                    "exclude=_all_but(model, checked), validate_constraints=constraints",
                )
            ),
            (
                "exclude=_all_but(model, checked), validate_unique=False, validate_constraints=constraints",
                "exclude=_all_but(model, checked), validate_unique=False, )",
                "validate_constraints then defaults to True: the same for every model but a check-in, "
                "whose one constraint reads the excluded assessment, which Django then skips",
            ),
            (
                "utc: datetime | None = value.astimezone(UTC)",
                "utc: datetime | None = value.astimezone(None)",
                "moment's value in the machine's own zone (UTC here, as the servers run) instead of "
                "UTC: the same instant, compared and stored alike (USE_TZ writes UTC)",
            ),
            (
                'assessments[assessment["id"]] = where',
                'assessments[assessment["id"]] = None',
                "a check-in looks its assessment up by id only (in assessments): the place kept beside "
                "the id is never read",
            ),
            (
                "start = deadline = None",
                'start = deadline = ""',
                '_dated_goal: an empty start and deadline compare equal ("" <= ""), so the line after '
                "makes both None, as it does for None",
            ),
            (
                "if start is None or deadline is None or deadline <= start:",
                "if start is None and deadline is None or deadline <= start:",
                "_dated_goal sets the start and the deadline together: both None, or both dates",
            ),
            (
                "return False",
                "return True",
                "_is_level's except branch: the schema's pattern gives a check-in's value as a decimal "
                "number (-?digits, up to two places), which Decimal always reads (the same line in "
                "_accepted is killed: tests/goals/test_import_milestone_dates.py)",
            ),
            *(
                (
                    'CheckIn, check_in, at, ["value", "note", "checked_on", "created_at"], constraints=False',
                    mutated,
                    "a check-in's one constraint (a whole level in range when it records an assessment) "
                    "reads assessment, which the check excludes: Django skips it whether asked or not "
                    "(the checker states it itself, _is_level)",
                )
                for mutated in (
                    'CheckIn, check_in, at, ["value", "note", "checked_on", "created_at"], constraints=None',
                    'CheckIn, check_in, at, ["value", "note", "checked_on", "created_at"], constraints=True',
                    'CheckIn, check_in, at, ["value", "note", "checked_on", "created_at"], )',
                )
            ),
        )
    ),
    Equivalent(
        "goals/portability/preview.py",
        "return f\"{'an' if noun[0] in 'aeiou' else 'a'} {noun}\"",
        "return f\"{'an' if noun[0] in 'XXaeiouXX' else 'a'} {noun}\"",
        "the nouns are KINDS' words (role, skill, certification, goal template, industry): none begins with X",
    ),
    *(
        Equivalent(
            "goals/portability/preview.py",
            "document,",
            mutated,
            "Preview.document is read nowhere: the writer and the review take the document itself",
        )
        for mutated in ("None,", None)
    ),
    *(
        Equivalent(
            "goals/portability/preview.py",
            """"role": {f"{t['slug']}/{r['slug']}" for t in ladder.get("tracks", []) for r in t.get("roles", [])},""",
            mutated,
            "the ladder file's schema requires every track's roles, and validate has checked the "
            "file's ladder against it (export.validate_export) before any review",
        )
        for mutated in (
            """"role": {f"{t['slug']}/{r['slug']}" for t in ladder.get("tracks", []) for r in t.get("roles", None)},""",
            """"role": {f"{t['slug']}/{r['slug']}" for t in ladder.get("tracks", []) for r in t.get("roles", )},""",
        )
    ),
    Equivalent(
        "goals/portability/preview.py",
        'track, _, role = ref.partition("/")',
        'track, _, role = ref.rpartition("/")',
        "a role reference is track/role with one slash (the schema's pattern)",
    ),
    Equivalent(
        "goals/portability/preview.py",
        "CareerPlan.objects.filter(owner=user, created_at__in=created.values()).values_list(",
        "CareerPlan.objects.filter(owner=user, ).values_list(",
        "reads the times of all the person's plans, not only the file's, but only the file's are then "
        "looked up in them: the same plans known",
    ),
    # SQLite: Django caps every bulk insert's batch at SQLite's 999 variables (a sixth of that for
    # an assessment's six columns), below the writer's BATCH of 1,000.
    *(
        Equivalent(
            "goals/portability/writing.py",
            original,
            mutated,
            "on SQLite Django splits a bulk insert at its variable limit, below BATCH, with or without "
            "it: the same INSERTs. On PostgreSQL BATCH splits only a list of more than 1,000 rows",
            not_run_on="sqlite",
        )
        for original, mutated in (
            (
                "SkillAssessment.objects.bulk_create(assessments.values(), batch_size=self.BATCH)",
                "SkillAssessment.objects.bulk_create(assessments.values(), batch_size=None)",
            ),
            (
                "SkillAssessment.objects.bulk_create(assessments.values(), batch_size=self.BATCH)",
                "SkillAssessment.objects.bulk_create(assessments.values(), )",
            ),
            ("batch_size=self.BATCH,", None),
            *(
                (
                    "model.objects.bulk_create(self.rows.pop(model, []), batch_size=self.BATCH)",
                    mutated,
                )
                for mutated in (
                    "model.objects.bulk_create(self.rows.pop(model, []), batch_size=None)",
                    "model.objects.bulk_create(self.rows.pop(model, []), )",
                )
            ),
        )
    ),
    *(
        Equivalent("goals/portability/writing.py", original, mutated, reason)
        for original, mutated, reason in (
            (
                "model.objects.bulk_create(self.rows.pop(model, []), batch_size=self.BATCH)",
                "model.objects.bulk_create(self.rows.pop(model, None), batch_size=self.BATCH)",
                "bulk_create returns at once when given nothing, None as []: the same (no) INSERT",
            ),
            *(
                (
                    "for activity, item in zip(activities, items, strict=True)",
                    f"for activity, item in zip(activities, items, {strict})",
                    "bulk_create returns the very list it was given: the two lists are always as long",
                )
                for strict in ("strict=None", "", "strict=False")
            ),
            *(
                (
                    f'self.{name} = {model}.objects.in_bulk(refs["{kind}"], field_name="slug")',
                    None,
                    "in_bulk without the slugs the plans name reads every row of the table: more rows, "
                    "and the same ones found",
                )
                for name, model, kind in (
                    ("skills", "Skill", "skill"),
                    ("certifications", "Certification", "certification"),
                    ("templates", "GoalTemplate", "template"),
                    ("industries", "Industry", "industry"),
                )
            ),
            *(
                (
                    'self.skills = Skill.objects.in_bulk([*refs["skill"], *preview.aliases.values()], field_name="slug")',
                    mutated,
                    "in_bulk without the slugs the plans name and the skills their aliases name reads every "
                    "row of the table: more rows, and the same ones found (issue 27's line)",
                )
                for mutated in (
                    'self.skills = Skill.objects.in_bulk(None, field_name="slug")',
                    'self.skills = Skill.objects.in_bulk(field_name="slug")',
                )
            ),
            (
                'slug__in={r.partition("/")[2] for r in refs["role"]}',
                'slug__in={r.rpartition("/")[2] for r in refs["role"]}',
                "a role reference is track/role with one slash (the schema's pattern)",
            ),
            (
                "connection = connections[router.db_for_write(model)]",
                "connection = connections[router.db_for_write(None)]",
                "one database and no DATABASE_ROUTERS: db_for_write answers 'default' for any model",
            ),
            *(
                (
                    'field, pk = cast("models.Field[Any, Any]", model._meta.get_field(name)), model._meta.pk',
                    f"field, pk = cast({type_}, model._meta.get_field(name)), model._meta.pk",
                    "cast's type is for mypy: at run time cast returns its value",
                )
                for type_ in (
                    "None",
                    '"XXmodels.Field[Any, Any]XX"',
                    '"models.field[any, any]"',
                    '"MODELS.FIELD[ANY, ANY]"',
                )
            ),
            *(
                (
                    original,
                    mutated,
                    "validate (goals.portability.checking) has already checked the file's ladder against "
                    "the ladder file's schema (export.validate_export), before any import: schema_errors "
                    "finds nothing here. The Checker's LadderError, the same line, is killed by "
                    "tests/goals/test_import_writing_edges.py",
                )
                for original, mutated in (
                    ("errors = schema_errors(ladder)", "errors = None"),
                    ("raise LadderError(errors)", "raise LadderError(None)"),
                )
            ),
            *(
                (
                    f"{name}.full_clean(validate_unique=False)",
                    f"{name}.full_clean(validate_unique={value})",
                    f"{model} has no unique field and no unique_together (its rules are constraints, "
                    "which validate_constraints checks either way), and None is as false as False",
                )
                for name, model in (("goal", "Goal"), ("plan", "CareerPlan"))
                for value in ("None", "True")
            ),
            *(
                (
                    "super().sync(kind, obj, relation, wanted, scope)",
                    mutated,
                    "_AddOnly.sync only passes on rows this import created: counted already, so kind (what "
                    "an update is counted as) is never read, and linked to nothing yet, so the current set "
                    "is empty within any scope",
                )
                for mutated in (
                    "super().sync(None, obj, relation, wanted, scope)",
                    "super().sync(kind, obj, relation, wanted, None)",
                    "super().sync(kind, obj, relation, wanted, )",
                )
            ),
        )
    ),
    Equivalent(
        "skills/ladder/validation.py",
        'self.check_sources([*base, "roles"], track["roles"], unique=False)',
        'self.check_sources([*base, "roles"], track["roles"], unique=None)',
        "check_sources reads unique only as true or false: None is as false as False",
    ),
    # skills/sources.py (issue 27)
    *(
        Equivalent(
            "skills/sources.py",
            'version = getattr(settings, "ONET_DATABASE_VERSION", "")',
            mutated,
            "careerpath/settings.py always defines ONET_DATABASE_VERSION (empty by default): "
            "getattr's default is never read",
        )
        for mutated in (
            'version = getattr(settings, "ONET_DATABASE_VERSION", None)',
            'version = getattr(settings, "ONET_DATABASE_VERSION", )',
            'version = getattr(settings, "ONET_DATABASE_VERSION", "XXXX")',
        )
    ),
    Equivalent(
        "skills/sources.py",
        'return f"O*NET {version} Database" if version else "O*NET Database"',
        'return f"O*NET {version} Database" if (version) or True else "O*NET Database"',
        'with no release it reads "O*NET  Database", two spaces, which the role page\'s HTML (the '
        "one place it is shown) renders, and a screen reader reads, as one",
    ),
    *(
        Equivalent(
            "skills/sources.py",
            line,
            None,
            "source_constraints runs once, when the models' Meta is read at import, before mutmut "
            "switches a mutant on: no test can run it mutated. What it builds is held by migration "
            "0009 (`makemigrations --check` fails on any change) and used by the admin's and "
            "import's tests (tests/skills/test_admin_sources.py: the duplicate id's message)",
        )
        for line in (
            "constraints: list[models.BaseConstraint] = [",
            'condition=Q(standard="", external_id="") | (~Q(standard="") & ~Q(external_id="")),',
            'name=f"{model_name}_source_both_or_neither",',
            "models.UniqueConstraint(",
            'fields=["standard", "external_id"],',
            'condition=~Q(external_id=""),',
            'name=f"{model_name}_unique_source",',
            'violation_error_message=f"Another {model_name} already has this standard id.",',
        )
    ),
]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "modules", nargs="+", help="paths of the modules to mutate, e.g. goals/reminders/schedule.py"
    )
    parser.add_argument(
        "--tests", default="", help="test modules to run instead of the table's (space separated)"
    )
    parser.add_argument(
        "--mutants",
        default="",
        help="run only these mutants (names or globs, space separated, as `mutmut show` names them), "
        "e.g. the survivors of an earlier run against tests added since; the score counts only these",
    )
    args = parser.parse_args(argv)
    os.chdir(ROOT)

    modules = [module.removeprefix("./") for module in args.modules]
    for module in modules:
        if not Path(module).is_file():
            parser.error(f"{module}: no such module")
        if not args.tests and module not in TESTS:
            parser.error(f"{module}: no tests are listed for it in tools/mutate.py's TESTS; pass --tests")
    tests = args.tests.split() or sorted(
        {path for m in modules for pattern in TESTS[m] for path in glob(pattern)}
    )
    print(f"mutating {', '.join(modules)}\nagainst {len(tests)} test modules: {' '.join(tests)}", flush=True)

    # One run at a time in a checkout: each starts by deleting mutants/, which another run is using.
    lock_path = ROOT / "var" / "mutate.lock"
    lock_path.parent.mkdir(exist_ok=True)
    with open(lock_path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("make mutate: another run is using mutants/ in this checkout; wait for it, or clone.")
            return 2
        _run_mutmut(modules, tests, args.mutants.split())
        return _report(modules)


def _run_mutmut(modules: list[str], tests: list[str], mutants: list[str]) -> None:
    shutil.rmtree("mutants", ignore_errors=True)
    # Each mutant's test session makes a cache folder it never removes (it ends with os._exit):
    # inside mutants/, they go with the next run.
    scratch = ROOT / "mutants" / "tmp"
    scratch.mkdir(parents=True)
    os.environ["TMPDIR"] = str(scratch)
    tempfile.tempdir = str(scratch)
    os.environ["DJANGO_SETTINGS_MODULE"] = "careerpath.settings"
    os.environ["TEST_DATABASE_NAME"] = str(ROOT / "mutants" / "var" / "test-mutmut.sqlite3")
    os.environ.pop("CAREERPATH_STRICT", None)

    from mutmut import configuration
    from mutmut.__main__ import _run

    config = configuration.config()
    config.only_mutate = modules
    config.pytest_add_cli_args_test_selection = tests
    _run(mutants, max_children=1)


def _report(modules: list[str]) -> int:
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.stats import status_by_exit_code

    print()
    short = False
    for module in modules:
        data = SourceFileMutationData(path=Path(module))
        data.load()
        # Mutants left unchecked (None: not named by --mutants, or the run was stopped) are not scored.
        statuses = {
            name: status_by_exit_code[code]
            for name, code in data.exit_code_by_key.items()
            if code is not None
        }
        not_run = len(data.exit_code_by_key) - len(statuses)
        caught = [name for name, status in statuses.items() if status in ("killed", "timeout")]
        equivalent, survivors = [], []
        for name in sorted(set(statuses) - set(caught), key=_mutant_number):
            diff = get_diff_for_mutant(name, path=module)
            reason = _equivalent(module, diff)
            if reason:
                equivalent.append((name, reason))
            else:
                survivors.append((name, statuses[name], diff))
        counted = len(statuses) - len(equivalent)
        score = 100 * len(caught) / counted if counted else 100.0
        short |= score < 90
        print(
            f"{module}: {len(caught)} killed of {counted} ({score:.1f} %), "
            f"{len(equivalent)} equivalent, {len(survivors)} not killed"
            + (f", {not_run} not run" if not_run else "")
        )
        for name, reason in equivalent:
            print(f"  equivalent {name}: {reason}")
        for name, status, diff in survivors:
            print(f"  {status} {name}")
            print("    " + "\n    ".join(_changed_lines(diff)))
    return 1 if short else 0


def _mutant_number(name: str) -> tuple[str, int]:
    function, _, number = name.rpartition("__mutmut_")
    return function, int(number) if number.isdigit() else 0


def _changed_lines(diff: str) -> list[str]:
    return [
        line
        for line in diff.splitlines()
        if line[:1] in "-+" and not line.startswith(("---", "+++")) and "__mutmut_" not in line
    ]


def _equivalent(module: str, diff: str) -> str | None:
    changed = _changed_lines(diff)
    removed = [line[1:].strip() for line in changed if line.startswith("-")]
    added = [line[1:].strip() for line in changed if line.startswith("+")]
    for known in EQUIVALENT:
        if known.module != module or removed[:1] != [known.original]:
            continue
        if known.not_run_on not in (None, _database()):
            continue
        if known.mutated is None or added == [known.mutated]:
            return known.reason
    return None


def _database() -> str:
    from django.db import connection

    return connection.vendor


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
