"""factory_boy factories for the plans app (the framework's live in tests/factories.py)."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from plans.models import Activity, CareerPlan, PlanCertification
from plans.sharing.models import Share
from tests.factories import CertificationFactory, RoleFactory


class UserFactory(factory.django.DjangoModelFactory):
    """A plain user; use conftest's make_user when allauth's verified EmailAddress matters."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    password = factory.django.Password("correct horse battery staple 42")


class CareerPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareerPlan

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Plan {n}")
    current_role = factory.SubFactory(RoleFactory, level=1)
    target_role = factory.SubFactory(
        RoleFactory, track=factory.SelfAttribute("..current_role.track"), level=2
    )
    status = CareerPlan.Status.ACTIVE


class PlanCertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanCertification

    plan = factory.SubFactory(CareerPlanFactory)
    certification = factory.SubFactory(CertificationFactory)
    status = PlanCertification.Status.PLANNED

    class Params:
        # PlanCertificationFactory(earned=True): earned a year ago, expiry computed by save().
        earned = factory.Trait(
            status=PlanCertification.Status.EARNED,
            earned_on=factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365)),
        )


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity
        skip_postgeneration_save = True

    plan = factory.SubFactory(CareerPlanFactory)
    kind = Activity.Kind.COURSE
    title = factory.Sequence(lambda n: f"Activity {n}")
    date = factory.LazyFunction(timezone.localdate)
    status = Activity.Status.DONE

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.set(extracted)


class ShareFactory(factory.django.DjangoModelFactory):
    """An accepted share: ``user`` can read ``plan`` (a mentor or manager)."""

    class Meta:
        model = Share

    plan = factory.SubFactory(CareerPlanFactory)
    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda o: o.user.email)
    accepted_at = factory.LazyFunction(timezone.now)
