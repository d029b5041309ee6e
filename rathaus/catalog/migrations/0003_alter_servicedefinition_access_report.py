from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_alter_servicedefinition_access"),
    ]

    operations = [
        migrations.AlterField(
            model_name="servicedefinition",
            name="access",
            field=models.CharField(
                choices=[
                    ("online", "fully online"),
                    ("online_with_appointment", "online, then an appointment"),
                    ("appointment", "appointment only"),
                    ("reservation", "reservation online"),
                    ("report", "report online"),
                ],
                max_length=30,
            ),
        ),
    ]
