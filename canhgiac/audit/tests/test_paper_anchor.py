import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document

from canhgiac.audit import services as audit
from canhgiac.audit.models import AuditHead
from canhgiac.reporting import services as reporting

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def test_the_consolidated_reports_docx_prints_the_chains_head_of_its_date(coordinator_sct):
    audit.record("test.before_report")
    audit.seal()
    head = AuditHead.objects.get(pk=1)
    today = timezone.localdate()
    _name, _type, content = reporting.export_report(
        coordinator_sct, fmt="docx", date_from=today - dt.timedelta(days=30), date_to=today
    )
    text = _text(content)
    assert f"đến ngày {today:%d/%m/%Y}: chuỗi {head.chain_id}, {head.count} sự kiện" in text
    assert head.last_hash in text


def test_the_head_of_a_date_is_the_last_event_sealed_by_then():
    audit.record("test.one")
    audit.seal()
    head = AuditHead.objects.get(pk=1)
    assert audit.head_at(timezone.now())["last_hash"] == head.last_hash
    assert audit.head_at(dt.datetime(2000, 1, 1, tzinfo=dt.UTC)) is None
