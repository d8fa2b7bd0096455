"""The state machine of applications: every allowed move, every forbidden one, and who may make it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members.models import Organisation
from membership import services
from membership.models import TRANSITIONS, Action, ApplicationEvent, Liaison, MembershipPeriod, Stage
from offices.models import OfficeMembership
from tests.factories import ApplicationFactory, OfficeFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ALLOWED = [
    (Stage.SUBMITTED, Action.ACCEPT, "secretariat", Stage.COUNCIL),
    (Stage.SUBMITTED, Action.RETURN, "secretariat", Stage.RETURNED),
    (Stage.SUBMITTED, Action.SECRETARIAT_REJECT, "secretariat", Stage.REJECTED),
    (Stage.RETURNED, Action.AMEND, None, Stage.SUBMITTED),
    (Stage.COUNCIL, Action.APPROVE, "council", Stage.APPROVED),
    (Stage.COUNCIL, Action.COUNCIL_REJECT, "council", Stage.REJECTED),
]


def test_the_table_is_exactly_the_allowed_moves():
    assert {(rule.source, action, rule.target) for action, rule in TRANSITIONS.items()} == {
        (source, action, target) for source, action, _who, target in ALLOWED
    }


@pytest.mark.parametrize(("source", "action", "who", "target"), ALLOWED)
def test_each_allowed_move_is_made_and_recorded(source, action, who, target, secretariat, council, mailoutbox):
    application = ApplicationFactory(stage=source)
    user = {"secretariat": secretariat, "council": council, None: None}[who]
    event = services.transition(application, action, user, comment="理由：材料")
    application.refresh_from_db()
    assert application.stage == target
    recorded = application.events.order_by("-pk").first()
    assert recorded == event
    assert (recorded.action, recorded.source, recorded.target, recorded.actor, recorded.comment) == (
        action,
        source,
        target,
        user,
        "理由：材料",
    )


@pytest.mark.parametrize("stage", list(Stage))
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_every_move_from_any_other_stage_is_impossible(stage, action, secretariat, council):
    rule = TRANSITIONS[action]
    if rule.source == stage:
        return
    application = ApplicationFactory(stage=stage)
    user = None if rule.permission is None else UserFactory(is_superuser=True)
    with pytest.raises(services.TransitionNotAllowed):
        services.transition(application, action, user, comment="reason")
    application.refresh_from_db()
    assert application.stage == stage
    assert application.events.count() == 1  # the submission only


def test_approving_before_the_secretariat_review_is_impossible(council):
    application = ApplicationFactory(stage=Stage.SUBMITTED)
    with pytest.raises(services.TransitionNotAllowed):
        services.transition(application, Action.APPROVE, council)
    assert not Organisation.objects.exists()


def test_approving_twice_is_impossible(council):
    application = ApplicationFactory(stage=Stage.COUNCIL)
    services.transition(application, Action.APPROVE, council)
    with pytest.raises(services.TransitionNotAllowed):
        services.transition(application, Action.APPROVE, council)
    assert Organisation.objects.count() == 1 and Liaison.objects.count() == 1


def test_a_stale_copy_cannot_decide_again(council):
    application = ApplicationFactory(stage=Stage.COUNCIL)
    stale = type(application).objects.get(pk=application.pk)
    services.transition(application, Action.APPROVE, council)
    with pytest.raises(services.TransitionNotAllowed):
        services.transition(stale, Action.COUNCIL_REJECT, council, comment="no")


def test_the_secretariat_cannot_decide_for_the_council(secretariat):
    application = ApplicationFactory(stage=Stage.COUNCIL)
    for action in (Action.APPROVE, Action.COUNCIL_REJECT):
        with pytest.raises(PermissionDenied):
            services.transition(application, action, secretariat, comment="no")
    application.refresh_from_db()
    assert application.stage == Stage.COUNCIL


def test_the_council_cannot_review_for_the_secretariat(council):
    application = ApplicationFactory(stage=Stage.SUBMITTED)
    with pytest.raises(PermissionDenied):
        services.transition(application, Action.ACCEPT, council)


@pytest.mark.parametrize("action", [a for a, rule in TRANSITIONS.items() if rule.permission])
def test_staff_without_the_permission_cannot_decide(action):
    application = ApplicationFactory(stage=TRANSITIONS[action].source)
    for user in (UserFactory(), UserFactory(groups=["Roster staff"]), None):
        with pytest.raises(PermissionDenied):
            services.transition(application, action, user, comment="reason")
    application.refresh_from_db()
    assert application.stage == TRANSITIONS[action].source


def test_staff_cannot_amend_for_the_applicant(secretariat):
    application = ApplicationFactory(stage=Stage.RETURNED)
    with pytest.raises(PermissionDenied):
        services.transition(application, Action.AMEND, secretariat)


@pytest.mark.parametrize("action", [Action.RETURN, Action.SECRETARIAT_REJECT])
def test_returning_or_rejecting_needs_a_reason(action, secretariat):
    application = ApplicationFactory(stage=Stage.SUBMITTED)
    with pytest.raises(ValidationError):
        services.transition(application, action, secretariat, comment="  ")
    application.refresh_from_db()
    assert application.stage == Stage.SUBMITTED


def test_approval_admits_the_organisation_in_one_go(council, mailoutbox, django_capture_on_commit_callbacks):
    office = OfficeFactory()
    application = ApplicationFactory(stage=Stage.COUNCIL)
    application.offices.set([office])
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(application, Action.APPROVE, council)
    application.refresh_from_db()
    organisation = application.organisation
    assert organisation.is_member and organisation.credit_code == application.credit_code
    assert organisation.name_zh_hans == application.name
    assert OfficeMembership.objects.current().filter(office=office, organisation=organisation).exists()
    liaison = Liaison.objects.get(organisation=organisation)
    assert liaison.user.email == application.contact_email and not liaison.user.has_usable_password()
    assert liaison.person.name_zh_hans == application.contact_name
    assert liaison.person.organisation == organisation
    assert MembershipPeriod.objects.filter(organisation=organisation).count() == 1
    assert {tuple(message.to) for message in mailoutbox} == {(application.contact_email,)}
    assert len(mailoutbox) == 2  # the decision, and the liaison's invitation with its set-password link
    assert any("/portal/password/" in message.body for message in mailoutbox)


def test_approval_links_the_organisation_with_the_same_credit_code(council):
    existing = OrganisationFactory(is_member=False, credit_code=ApplicationFactory.build().credit_code)
    application = ApplicationFactory(stage=Stage.COUNCIL, credit_code=existing.credit_code)
    services.transition(application, Action.APPROVE, council)
    assert Organisation.objects.count() == 1
    existing.refresh_from_db()
    assert existing.is_member and application.organisation == existing


def test_a_failure_during_admission_leaves_nothing(council, monkeypatch):
    application = ApplicationFactory(stage=Stage.COUNCIL)

    def broken(*args, **kwargs):
        raise RuntimeError("mail server exploded")

    monkeypatch.setattr(services, "invite_liaison", broken)
    with pytest.raises(RuntimeError):
        services.transition(application, Action.APPROVE, council)
    application.refresh_from_db()
    assert application.stage == Stage.COUNCIL
    assert not Organisation.objects.exists() and not Liaison.objects.exists()
    assert ApplicationEvent.objects.filter(application=application).count() == 1
