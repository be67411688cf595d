from decimal import Decimal

from django.db import migrations

# programme-rules.md, Payments: by the financial year of attachment (named by its first year).
RATES = [
    # year, attachment fee, R, crime/ASB/education, progress to work, continuous employment
    (2012, "3200", "800", "700", "100", "800"),
    (2013, "2400", "1600", "1500", "100", "1600"),
    (2014, "1600", "2400", "2300", "100", "2400"),
]


def seed(apps, schema_editor):
    RateCard = apps.get_model("claims", "RateCard")
    for year, fee, r, cae, ptw, ce in RATES:
        RateCard.objects.get_or_create(
            financial_year=year,
            defaults={
                "attachment_fee": Decimal(fee),
                "results_element": Decimal(r),
                "crime_asb_education": Decimal(cae),
                "progress_to_work": Decimal(ptw),
                "continuous_employment": Decimal(ce),
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("claims", "RateCard").objects.filter(
        financial_year__in=[year for year, *_ in RATES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_rate_card_windows_packs_claims")]

    operations = [migrations.RunPython(seed, unseed)]
