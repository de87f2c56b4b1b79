"""/api/v1/jobs: the status of a background job (an export) and its file, for the job's owner only.

An endpoint that starts long work answers 202 with `JobStarted` (the job's id and the URL of its
status) and a `Location` header; the client polls `GET /api/v1/jobs/{id}` until `status` is `done`
(then `download_url` is set) or `failed` (then `message` says why), and downloads the file from
`GET /api/v1/jobs/{id}/download` with the same credentials (docs/architecture.md, "Exports").
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import Http404, HttpResponse
from ninja import Router, Schema

from canhgiac.core import exports
from canhgiac.core.models import Job
from canhgiac.core.policy import can

try:
    from ninja.responses import Status
except ImportError:  # django-ninja < 1.5 returns (status, body) tuples

    def Status(code, body):  # noqa: N802
        return code, body


router = Router(tags=["jobs"])
prefix = "/jobs"


class JobStarted(Schema):
    id: uuid.UUID
    status: str
    url: str


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    title: str
    status: str
    percent: int
    done: int
    total: int
    message: str
    created_at: dt.datetime
    updated_at: dt.datetime
    download_url: str | None = None
    filename: str | None = None
    expires_at: dt.datetime | None = None


def error_answers(answers: dict[str, str]) -> dict:
    """`openapi_extra` declaring an endpoint's own 4xx answers with their meaning (the API adds the
    generic ones it does not name; canhgiac.api.CanhGiacAPI)."""
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}}
    return {"responses": {code: {"description": text, **ref} for code, text in answers.items()}}


def status_url(job: Job) -> str:
    return f"/api/v1/jobs/{job.pk}"


def accepted(response: HttpResponse, job: Job):
    """The 202 answer of an endpoint that started `job` (with `Location: <status URL>`)."""
    response["Location"] = status_url(job)
    return Status(202, {"id": job.pk, "status": job.status, "url": status_url(job)})


def _own_job(request, job_id) -> Job:
    # Someone else's job is "not found", so ids cannot be probed.
    job = Job.objects.filter(pk=job_id).first()
    if job is None or not can(request.user, "status", job):
        raise Http404
    return job


NOT_YOURS = "Không có công việc này, hoặc công việc không phải của bạn (chỉ người tạo xem được)."


@router.get(
    "/{uuid:job_id}",
    response=JobOut,
    openapi_extra=error_answers({"401": "Chưa xác thực.", "404": NOT_YOURS}),
)
def job_status(request, job_id: uuid.UUID):
    """A job's state (`queued`, `running`, `done`, `failed`), percent, message and, once the file
    is ready, its download URL (kept `CANHGIAC_EXPORT_KEEP_HOURS` hours). The owner's only."""
    job = _own_job(request, job_id)
    path = exports.export_file(job)
    expires = None
    if path is not None:
        written = dt.datetime.fromtimestamp(path.parent.stat().st_mtime, tz=dt.UTC)
        expires = written + dt.timedelta(hours=exports.keep_hours())
    return {
        "id": job.pk,
        "kind": job.kind,
        "title": job.title,
        "status": job.status,
        "percent": job.percent,
        "done": job.done,
        "total": job.total,
        "message": job.message,
        "created_at": job.created_at,
        "updated_at": job.updated_at,
        "download_url": f"{status_url(job)}/download" if path is not None else None,
        "filename": path.name if path is not None else None,
        "expires_at": expires,
    }


@router.get(
    "/{uuid:job_id}/download",
    response={200: None},
    openapi_extra={
        "responses": {
            "200": {
                "description": "Tệp (DOCX, XLSX hoặc CSV), không lưu đệm (private, no-store).",
                "content": {
                    media: {"schema": {"type": "string", "format": "binary"}}
                    for media in (
                        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        "text/csv",
                    )
                },
            },
            **error_answers(
                {
                    "401": "Chưa xác thực.",
                    "404": NOT_YOURS + " Hoặc tệp chưa xong, hoặc đã bị xóa sau thời hạn lưu.",
                }
            )["responses"],
        }
    },
)
def job_download(request, job_id: uuid.UUID):
    """The finished export's file: the owner's only, audited (`core.export_downloaded`), never
    cached; 404 before it is ready or once it was deleted."""
    job = _own_job(request, job_id)
    return exports.download_response(request.user, job)
