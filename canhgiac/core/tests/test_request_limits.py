"""Requests are bounded before their body is read, and what is stored is private to the service."""

import io
import os
import stat

import pytest


class WatchedInput(io.BytesIO):
    """A request body that records whether anybody read from it."""

    touched = False

    def read(self, *args):
        WatchedInput.touched = True
        return super().read(*args)

    readline = read


@pytest.fixture
def watched():
    WatchedInput.touched = False
    return WatchedInput(b"x" * 1024)


@pytest.mark.django_db
def test_an_anonymous_200_mb_upload_is_refused_before_a_byte_is_read(client, watched, settings):
    response = client.generic(
        "POST",
        "/tips/report/",
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        **{"wsgi.input": watched},
    )
    assert response.status_code == 413
    assert "tối đa 60 MB" in response.content.decode()
    assert not WatchedInput.touched


@pytest.mark.django_db
def test_the_api_refuses_an_oversized_body_in_json_naming_the_limit(client, watched, settings):
    settings.MAX_REQUEST_BODY_SIZE = 1024 * 1024
    response = client.generic(
        "POST",
        "/api/v1/tips",
        CONTENT_TYPE="application/json",
        CONTENT_LENGTH=str(2 * 1024 * 1024),
        **{"wsgi.input": watched},
    )
    assert response.status_code == 413
    assert response.json()["detail"].startswith("Yêu cầu quá lớn: tối đa 1 MB")
    assert not WatchedInput.touched


@pytest.mark.django_db
def test_a_rate_limited_form_is_refused_before_its_body_is_read(client, watched, settings):
    settings.TIP_RATE_LIMIT_PER_HOUR = 0
    response = client.generic(
        "POST",
        "/tips/report/",
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH="1024",
        **{"wsgi.input": watched},
    )
    assert response.status_code == 429 and "tối đa 0 lần mỗi giờ" in response.content.decode()
    assert not WatchedInput.touched


@pytest.mark.django_db
def test_a_rate_limited_api_submission_is_refused_before_its_body_is_read(client, watched, settings):
    settings.TIP_RATE_LIMIT_PER_HOUR = 0
    response = client.generic(
        "POST",
        "/api/v1/tips",
        CONTENT_TYPE="application/json",
        CONTENT_LENGTH="1024",
        **{"wsgi.input": watched},
    )
    assert response.status_code == 429
    assert not WatchedInput.touched


def test_the_limits_are_set(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600 and settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o700


def test_var_is_readable_by_the_service_account_only(settings):
    assert stat.S_IMODE(settings.VAR_DIR.stat().st_mode) == 0o700
    created = settings.VAR_DIR / "probe.txt"
    created.write_text("x")
    try:
        assert stat.S_IMODE(created.stat().st_mode) == 0o600
    finally:
        created.unlink()


@pytest.mark.django_db
def test_a_tip_photo_is_stored_0600_in_folders_0700(client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from canhgiac.core.tests.test_photo_limits import _png
    from canhgiac.tips.models import TipAttachment

    settings.TIP_MEDIA_DIR = str(tmp_path / "tips")
    upload = SimpleUploadedFile("anh.png", _png(20, 20), content_type="image/png")
    response = client.post(
        "/tips/report/",
        {"description": "Kho chứa hàng lậu sau chợ, xe tải chở ban đêm.", "anonymous": "1", "files": upload},
    )
    assert response.status_code == 200
    path = TipAttachment.objects.get().file.path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700
