"""Each agency keeps its own subject records (issue 9).

Until now a subject entered by a second agency with the same identifier was merged into the first
agency's record. This migration splits such records: the record stays with the agency that
entered it first, and every other agency whose cases or inspections use it gets its own record
(kind, name, identifier and birth date copied; phone and address are not, because they may have
been recorded on the first agency's sensitive case). Its case links and inspections move to it.
Each split is written to the audit trail.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def split_per_agency(apps, schema_editor):
    Subject = apps.get_model("subjects", "Subject")
    CaseSubject = apps.get_model("cases", "CaseSubject")
    Inspection = apps.get_model("cases", "Inspection")
    users: dict[int, set[int]] = {}
    for subject_id, agency_id in CaseSubject.objects.values_list("subject_id", "case__lead_agency_id"):
        users.setdefault(subject_id, set()).add(agency_id)
    for subject_id, agency_id in Inspection.objects.values_list("business_id", "agency_id"):
        users.setdefault(subject_id, set()).add(agency_id)
    splits = []
    for subject in Subject.objects.filter(pk__in=list(users)).order_by("pk"):
        agencies = sorted(users[subject.pk])
        if subject.recorded_by_agency_id is None:
            subject.recorded_by_agency_id = agencies[0]
            subject.save(update_fields=["recorded_by_agency"])
        for agency_id in agencies:
            if agency_id == subject.recorded_by_agency_id:
                continue
            copy = Subject.objects.create(
                kind=subject.kind,
                name=subject.name,
                name_folded=subject.name_folded,
                identifier=subject.identifier,
                birth_date=subject.birth_date,
                recorded_by_agency_id=agency_id,
            )
            CaseSubject.objects.filter(subject=subject, case__lead_agency_id=agency_id).update(subject=copy)
            Inspection.objects.filter(business=subject, agency_id=agency_id).update(business=copy)
            splits.append({"from": subject.pk, "to": copy.pk, "agency_id": agency_id})
    if splits:
        from canhgiac.audit import services as audit

        for split in splits:
            audit.record(
                "subjects.subject_split",
                object_type="subjects.subject",
                object_id=str(split["to"]),
                object_repr="",
                changes=split,
            )


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_sealed_chain'),
        ('cases', '0002_initial'),
        ('directory', '0001_initial'),
        ('subjects', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='subject',
            name='uniq_subject_kind_identifier',
        ),
        migrations.AlterField(
            model_name='subject',
            name='recorded_by_agency',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='directory.agency', verbose_name='Cơ quan ghi nhận'),
        ),
        migrations.RunPython(split_per_agency, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='subject',
            constraint=models.UniqueConstraint(condition=models.Q(('identifier', ''), _negated=True), fields=('recorded_by_agency', 'kind', 'identifier'), name='uniq_subject_agency_kind_identifier'),
        ),
    ]
