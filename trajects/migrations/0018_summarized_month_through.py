import datetime

from django.db import migrations, models


def forget_kept_months(apps, schema_editor):
    # kept figures are counted again when next needed: no need to work out what they covered
    apps.get_model("trajects", "SummarizedMonth").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("trajects", "0017_kept_month_figures")]

    operations = [
        migrations.RunPython(forget_kept_months, migrations.RunPython.noop),
        migrations.AddField(
            model_name="summarizedmonth",
            name="through",
            field=models.DateField(
                default=datetime.date(2000, 1, 1),
                help_text="The last day counted: the month's last, or yesterday in the month under way.",
                verbose_name="counted through",
            ),
            preserve_default=False,
        ),
    ]
