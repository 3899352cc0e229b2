import pytest

from dfsp.datahub import services


@pytest.fixture
def standards(db):
    services.install_standards()


@pytest.fixture
def owner(db):
    from dfsp.accounts.tests.factories import member

    return member("operator", username="source_owner_t")


@pytest.fixture
def source(standards, operator_user, owner):
    return services.create_source(
        actor=operator_user,
        code="aic",
        name="市场监管登记信息",
        kind="gov_exchange",
        delivery="file_drop",
        category="registration",
        owner_department="大庆市市场监督管理局",
        owner=owner,
    )


@pytest.fixture
def tax_source(standards, operator_user, owner):
    return services.create_source(
        actor=operator_user,
        code="tax",
        name="税务信息",
        kind="gov_exchange",
        delivery="file_drop",
        category="tax",
        owner_department="国家税务总局大庆市税务局",
        owner=owner,
    )


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.fixture
def ingest(django_capture_on_commit_callbacks, operator_user):
    """Submit an upload and run it (Celery is eager in tests; callbacks run on commit)."""

    def _ingest(source, name, content, actor=None, **kwargs):
        from dfsp.datahub.models import IngestionBatch

        with django_capture_on_commit_callbacks(execute=True):
            batch = services.submit_upload(
                actor=actor or operator_user, source=source, uploaded_file=upload(name, content), **kwargs
            )
        return IngestionBatch.objects.get(pk=batch.pk)

    return _ingest
