import pytest
from django.urls import reverse

from dfsp.accounts.tests.factories import member
from dfsp.notifications import selectors, services
from dfsp.notifications.models import Message, OutboundDelivery

pytestmark = pytest.mark.django_db


def test_notify_creates_one_message_per_recipient(enterprise_admin, other_enterprise_admin):
    services.notify(
        recipients=[enterprise_admin, other_enterprise_admin, None],
        category="test",
        title="认证已通过",
        body="您的企业认证已通过。",
        link="/",
    )
    assert Message.objects.count() == 2
    assert selectors.unread_count(enterprise_admin) == 1


def test_sms_is_handed_to_the_backend_after_commit(django_capture_on_commit_callbacks):
    user = member("enterprise_admin", mobile="13804591111")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.notify(recipients=[user], category="test", title="验证码", body="123456", sms=True)
    assert len(callbacks) == 1
    delivery = OutboundDelivery.objects.get()
    assert delivery.status == "sent" and delivery.address_masked == "138****1111"


def test_no_sms_leaves_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    user = member("enterprise_admin", mobile="13804592222")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(recipients=[user], category="test", title="x", sms=True)
    assert OutboundDelivery.objects.get().status == "pending"
    assert len(callbacks) == 1  # queued only for commit; a rollback discards it


def test_inbox_shows_unread_badge_and_marks_read(client, login, enterprise_admin):
    services.notify(recipients=[enterprise_admin], category="test", title="新消息一")
    services.notify(recipients=[enterprise_admin], category="test", title="新消息二")
    login(enterprise_admin)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "新消息一" in page and 'text-bg-danger ms-1">2' in page
    client.post(reverse("notifications:mark"), {"action": "read_all"})
    assert selectors.unread_count(enterprise_admin) == 0
    first = Message.objects.filter(recipient=enterprise_admin).first()
    client.post(reverse("notifications:mark"), {"action": "unread", "message": [str(first.pk), "x"]})
    assert selectors.unread_count(enterprise_admin) == 1


def test_another_users_message_is_not_found(client, login, enterprise_admin, other_enterprise_admin):
    services.notify(recipients=[other_enterprise_admin], category="test", title="机密")
    message = Message.objects.get()
    login(enterprise_admin)
    assert client.get(reverse("notifications:open", args=[message.pk])).status_code == 404
    client.post(reverse("notifications:mark"), {"action": "read", "message": [str(message.pk)]})
    assert Message.objects.get().read_at is None


def test_opening_a_message_follows_only_internal_links(client, login, enterprise_admin):
    services.notify(
        recipients=[enterprise_admin], category="test", title="外链", link="https://evil.example/"
    )
    message = Message.objects.get()
    login(enterprise_admin)
    response = client.get(reverse("notifications:open", args=[message.pk]))
    assert response.status_code == 200 and "外链" in response.content.decode()


def test_email_goes_through_the_same_channel_interface(django_capture_on_commit_callbacks):
    user = member("enterprise_admin", email="wangjianguo@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(recipients=[user], category="test", title="认证已通过", email=True)
    delivery = OutboundDelivery.objects.get(channel="email")
    assert delivery.status == "sent" and delivery.address_masked == "w***@example.cn"
