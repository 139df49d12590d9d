"""factory_boy factories for every app, shared by the test modules."""

import factory
from django.utils.text import slugify

from skills.models import (
    Certification,
    GoalTemplate,
    Horizon,
    Industry,
    LearningResource,
    Role,
    RoleSkill,
    Skill,
    Track,
    Transition,
)


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Track {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    description = "A career ladder."


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Industry {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    track = factory.SubFactory(TrackFactory)
    title = factory.Sequence(lambda n: f"Role {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    level = 1
    summary = "Does the work of this role."
    responsibilities = "Own the roadmap\nTalk to customers"


class TransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Transition

    from_role = factory.SubFactory(RoleFactory)
    to_role = factory.SubFactory(RoleFactory, track=factory.SelfAttribute("..from_role.track"))


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    category = Skill.Category.HARD


class RoleSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleSkill

    role = factory.SubFactory(RoleFactory)
    skill = factory.SubFactory(SkillFactory)
    level = 3


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    name = factory.Sequence(lambda n: f"Certification {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    abbreviation = factory.Sequence(lambda n: f"C{n}")
    issuer = "Product School"
    validity_months = 24


class LearningResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearningResource

    skill = factory.SubFactory(SkillFactory)
    title = factory.Sequence(lambda n: f"Resource {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    kind = LearningResource.Kind.BOOK
    provider = "A publisher"
    url = "https://example.com/resource"
    hours = 10
    level = 3


class GoalTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoalTemplate

    title = factory.Sequence(lambda n: f"Template {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    metric = "Courses completed"
    unit = "courses"
    baseline = 0
    target = 3
    horizon = Horizon.SHORT


def routes_in_bulk(size: int) -> tuple[Track, Role, Role, list[Role]]:
    """A new track's current role (level 1) and target role (level 3) with `size` roles between
    them (level 2), each the step of a route current -> role -> target; written in bulk, a
    statement a table, for query-count tests whose claim is a page's queries, not the saves (the
    caller moves the ladder's version once for all it writes). Returns the track, current, target
    and the roles between."""
    track = TrackFactory()
    current, target = RoleFactory.build(track=track, level=1), RoleFactory.build(track=track, level=3)
    between = RoleFactory.build_batch(size, track=track, level=2)
    Role.objects.bulk_create([current, target, *between])
    Transition.objects.bulk_create(
        TransitionFactory.build(from_role=a, to_role=b)
        for role in between
        for a, b in ((current, role), (role, target))
    )
    return track, current, target, between
