from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_travel_clearance"),
    ]

    operations = [
        migrations.AlterField(
            model_name="caseevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("submitted", "Request received"),
                    ("emails_sent", "Acknowledgement sent"),
                    (
                        "over_rate_limit",
                        "Received above the hourly limit of its address: check it is genuine",
                    ),
                    ("linked", "Request added to the sender's account"),
                    ("travel_cleared", "Assessed locally and cleared to travel"),
                    ("assigned", "Assigned"),
                    ("note", "Note"),
                    ("transition", "Status changed"),
                    ("record_uploaded", "Medical records uploaded"),
                    ("study_deidentified", "Imaging study de-identified"),
                    ("triage_recorded", "Clinical findings and triage recorded"),
                    ("emergency_advice_sent", "Emergency advice sent"),
                    ("shortlist_saved", "Clinic shortlist saved"),
                    ("shared", "Case shared with a clinic"),
                    ("consent_withdrawn", "Consent withdrawn"),
                ],
                max_length=32,
            ),
        ),
    ]
