from django.db import migrations, models


class Migration(migrations.Migration):
    """TriageSnapshot now belongs to the triage app; its table and rows stay where they are."""

    dependencies = [
        ('cases', '0008_encrypt_sins_band'),
        ('triage', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='urgency',
            field=models.CharField(choices=[('emergency_mscc', 'Emergency: possible spinal cord compression'), ('urgent_spinal_pain', 'Urgent: spinal pain pattern, local assessment within 24 h'), ('routine', 'Routine')], default='routine', max_length=32),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='TriageSnapshot')],
            database_operations=[],
        ),
    ]
