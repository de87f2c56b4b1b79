"""Shared fixtures: the province's reference data loaded once, and named personas.

Personas read like the sentences the tests check: officer_ca, officer_qltt, leader_qltt,
coordinator_sct, commune_officer, tip_handler_qltt, analyst_sct, viewer_syt, admin_user.
"""

import pytest
from django.core.management import call_command

from canhgiac.core import policy

PASSWORD = "Mat-khau-kiem-thu-389"


@pytest.fixture(autouse=True)
def _own_var_dir(settings, tmp_path_factory):
    """Each test writes its files (audit anchors, export files, uploads kept by the app) in a
    folder of its own: an anchor written by one test's periodic run must not judge another test's
    chain."""
    settings.VAR_DIR = tmp_path_factory.mktemp("var")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("setup", "--no-migrate", verbosity=0, stdout=open("/dev/null", "w"))


def find_agency(code):
    """An agency by short code in the province the session loaded (Đắk Lắk), or by its key
    ("<province code>:<short code>") for another province a test loads."""
    from canhgiac.directory.models import Agency

    if ":" in code:
        return Agency.objects.get(key=code)
    return Agency.objects.get(code=code, province__codename="dak_lak")


@pytest.fixture
def agency():
    return find_agency


@pytest.fixture
def make_user(db):
    from canhgiac.accounts import services

    def make(username, agency_code=None, role=None, **extra):
        memberships = [(find_agency(agency_code), role)] if agency_code else []
        return services.create_user(username, PASSWORD, memberships=memberships, **extra)

    return make


@pytest.fixture
def commune_agency(db):
    from canhgiac.directory.models import Agency

    return Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first()


@pytest.fixture
def officer_ca(make_user):
    return make_user("officer_ca", "CA", policy.OFFICER)


@pytest.fixture
def officer_qltt(make_user):
    return make_user("officer_qltt", "QLTT", policy.OFFICER)


@pytest.fixture
def leader_qltt(make_user):
    return make_user("leader_qltt", "QLTT", policy.LEADER)


@pytest.fixture
def tip_handler_qltt(make_user):
    return make_user("tip_handler_qltt", "QLTT", policy.TIP_HANDLER)


@pytest.fixture
def coordinator_sct(make_user):
    return make_user("coordinator_sct", "SCT", policy.COORDINATOR)


@pytest.fixture
def leader_sct(make_user):
    """A leader of the Standing Office (Đắk Lắk's Department of Industry and Trade)."""
    return make_user("leader_sct", "SCT", policy.LEADER)


@pytest.fixture
def analyst_sct(make_user):
    return make_user("analyst_sct", "SCT", policy.ANALYST)


@pytest.fixture
def viewer_syt(make_user):
    return make_user("viewer_syt", "SYT", policy.VIEWER)


@pytest.fixture
def admin_user(make_user):
    return make_user("admin_sct", "SCT", policy.ADMIN)


@pytest.fixture
def commune_officer(make_user, commune_agency):
    return make_user("commune_officer", commune_agency.code, policy.OFFICER)


def make_business(tax_code, name, username=None, province="dak_lak"):
    """A business (goods app) in the first commune of `province`, with a user acting for it."""
    from canhgiac.accounts import services
    from canhgiac.directory.models import AdministrativeUnit
    from canhgiac.goods.models import Business, BusinessMember

    unit = AdministrativeUnit.objects.filter(parent__codename=province).order_by("code").first()
    business = Business.objects.create(tax_code=tax_code, name=name, unit=unit)
    if username:
        user = services.create_user(username, PASSWORD, full_name=name)
        BusinessMember.objects.create(user=user, business=business)
        return business, user
    return business, None


@pytest.fixture
def business_user(db):
    """A user of a Đắk Lắk manufacturer (a business principal, no agency membership)."""
    return make_business("0100233488", "Công ty CP Dược phẩm Hoa Mai", "business_user")[1]


@pytest.fixture
def signed_in(client):
    """signed_in(user) -> the test client, signed in as user."""

    def sign_in(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Background tasks run inline in tests (the worker is exercised by the browser tests)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # scrypt costs ~50 ms per user; tests create hundreds (the production hasher is tested apart).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.GOODS_CHECK_LOG_FLUSH_MS = 0  # the goods check log written in the request


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Playwright drives Debian's chromium; its own browser download cannot work offline."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ],
    }


@pytest.fixture
def export_download(settings, tmp_path, django_capture_on_commit_callbacks):
    """export_download(client, url, params) -> (job, job page, download response): asks for an
    export, runs its task (inline, as tasks run in tests), opens the job page and the file."""
    from canhgiac.core.models import Job

    settings.VAR_DIR = tmp_path

    from urllib.parse import urlencode

    def run(client, url, params=None):
        params = params or {}
        # A GET only shows what would be exported: no job starts before the button's POST.
        jobs_before = Job.objects.count()
        confirm = client.get(url, params)
        assert confirm.status_code == 200 and Job.objects.count() == jobs_before, confirm
        assert b'method="post"' in confirm.content
        query = urlencode(params, doseq=True)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"{url}?{query}" if query else url, params)
        assert response.status_code == 302 and "/jobs/" in response["Location"], response
        job = Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
        page = client.get(response["Location"])
        return job, page, client.get(job.result.get("url", "/missing"))

    return run


@pytest.fixture
def job_rows_seen(monkeypatch):
    """The job row as a polling page reads it after each progress write of an export job:
    a list of (status, done, total, message), filled while the job runs (throttling off)."""
    from canhgiac.core import jobs
    from canhgiac.core.models import Job

    seen = []
    update = jobs.update_job

    def watch(job_id, **fields):  # the real write, then what the job page would read
        update(job_id, **fields)
        job = Job.objects.get(pk=job_id)
        seen.append((job.status, job.done, job.total, job.message))

    monkeypatch.setattr(jobs, "update_job", watch)
    monkeypatch.setattr("canhgiac.core.exports.time.monotonic", iter(range(0, 100_000, 10)).__next__)
    return seen
