from typing import Any

import django.db.models.deletion
import oncoroute.privacy.fields
from django.conf import settings
from django.db import migrations, models


def content_type_to_triage(apps: Any, schema_editor: Any) -> None:
    """Permissions and admin history follow the model: its content type changes app."""
    ContentType = apps.get_model('contenttypes', 'ContentType')
    ContentType.objects.filter(app_label='cases', model='triagesnapshot').update(app_label='triage')


def content_type_to_cases(apps: Any, schema_editor: Any) -> None:
    ContentType = apps.get_model('contenttypes', 'ContentType')
    ContentType.objects.filter(app_label='triage', model='triagesnapshot').update(app_label='cases')


class Migration(migrations.Migration):
    """TriageSnapshot moves here from cases: the model's state only; its table
    `cases_triagesnapshot` and every row in it stay as they are."""

    initial = True

    dependencies = [
        ('cases', '0008_encrypt_sins_band'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='TriageSnapshot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('findings', oncoroute.privacy.fields.EncryptedJSONField()),
                        ('report', oncoroute.privacy.fields.EncryptedJSONField()),
                        ('rules_version', models.CharField(max_length=40)),
                        ('recorded_at', models.DateTimeField(auto_now_add=True)),
                        ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='triage_snapshots', to='cases.case')),
                        ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'cases_triagesnapshot',
                        'ordering': ['-recorded_at', '-pk'],
                        'get_latest_by': ['recorded_at', 'pk'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_triage, content_type_to_cases),
    ]
