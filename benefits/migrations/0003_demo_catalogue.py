"""The demo benefit catalogue. Editable in the admin afterwards."""

from django.db import migrations

CATALOGUE = [
    {
        "code": "universal_credit",
        "name": "Universal Credit",
        "display_order": 10,
        "summary": "A monthly payment to help with living costs if you're on a low income, out of work or cannot work.",
        "who_it_is_for": "People aged 18 to State Pension age on a low income, with savings of £16,000 or less.",
        "evidence_needed": [
            "Proof of identity",
            "Bank statements for the last month",
            "Your tenancy agreement if you pay rent",
            "Payslips if you work",
        ],
        "service_level_days": 35,
        "open_for_online_claims": True,
        "other_route": "",
    },
    {
        "code": "child_benefit",
        "name": "Child Benefit",
        "display_order": 20,
        "summary": "A weekly payment for each child you're responsible for, under 16 or under 20 in approved education or training.",
        "who_it_is_for": "Anyone responsible for a child. Not means-tested, but a tax charge applies to incomes over £60,000.",
        "evidence_needed": ["The child's birth or adoption certificate"],
        "service_level_days": 20,
        "open_for_online_claims": False,
        "other_route": "Child Benefit is paid by HM Revenue and Customs: claim through HMRC's online service or app.",
    },
    {
        "code": "carers_allowance",
        "name": "Carer's Allowance",
        "display_order": 30,
        "summary": "A weekly payment if you care for someone at least 35 hours a week and they get certain disability benefits.",
        "who_it_is_for": "Carers aged 16 or over, not in full-time education, earning no more than the earnings limit.",
        "evidence_needed": [
            "Details of the person you care for and their disability benefit",
            "Payslips if you work",
        ],
        "service_level_days": 20,
        "open_for_online_claims": True,
        "other_route": "",
    },
    {
        "code": "state_pension",
        "name": "New State Pension",
        "display_order": 40,
        "summary": "A weekly pension from State Pension age, based on your National Insurance record.",
        "who_it_is_for": "People reaching State Pension age with at least 10 qualifying years of National Insurance.",
        "evidence_needed": [],
        "service_level_days": 20,
        "open_for_online_claims": False,
        "other_route": "You'll be invited to claim about 2 months before you reach State Pension age, or claim through the State Pension service.",
    },
    {
        "code": "pension_credit",
        "name": "Pension Credit",
        "display_order": 50,
        "summary": "Extra money to top up your weekly income if you're over State Pension age and on a low income.",
        "who_it_is_for": "People over State Pension age (both partners, for couples) whose weekly income is below the minimum guarantee.",
        "evidence_needed": [
            "Bank statements",
            "Details of any private pensions",
            "Details of savings and investments",
        ],
        "service_level_days": 50,
        "open_for_online_claims": True,
        "other_route": "",
    },
    {
        "code": "jsa",
        "name": "New Style Jobseeker's Allowance",
        "display_order": 60,
        "summary": "A weekly payment for up to 182 days while you look for work, based on the National Insurance you paid.",
        "who_it_is_for": "People who worked as employees and paid Class 1 National Insurance in the last 2 tax years, now out of work or working under 16 hours.",
        "evidence_needed": ["Your P45 or last payslip", "Details of your last employer"],
        "service_level_days": 15,
        "open_for_online_claims": True,
        "other_route": "",
    },
    {
        "code": "attendance_allowance",
        "name": "Attendance Allowance",
        "display_order": 70,
        "summary": "A weekly payment for people over State Pension age who need help with personal care or supervision because of a disability.",
        "who_it_is_for": "People over State Pension age who have needed help for 6 months, or are terminally ill.",
        "evidence_needed": [
            "Details of your condition and medication",
            "Contact details for your GP or specialist",
        ],
        "service_level_days": 40,
        "open_for_online_claims": True,
        "other_route": "",
    },
    {
        "code": "pip",
        "name": "Personal Independence Payment",
        "display_order": 80,
        "summary": "Help with extra living costs if you have a long-term condition that affects daily living or getting around.",
        "who_it_is_for": "People aged 16 to State Pension age, assessed on how their condition affects them.",
        "evidence_needed": ["Letters from your doctors or specialists", "Your prescription list"],
        "service_level_days": 90,
        "open_for_online_claims": True,
        "other_route": "",
    },
    {
        "code": "maternity_allowance",
        "name": "Maternity Allowance",
        "display_order": 90,
        "summary": "A weekly payment for up to 39 weeks if you're pregnant or have recently had a baby and cannot get Statutory Maternity Pay.",
        "who_it_is_for": "People who worked for 26 of the 66 weeks before the baby is due and earned at least £30 a week in 13 of them.",
        "evidence_needed": [
            "Your MATB1 certificate from a midwife or doctor",
            "Payslips or proof of self-employed earnings",
            "Form SMP1 from your employer, if they refused Statutory Maternity Pay",
        ],
        "service_level_days": 20,
        "open_for_online_claims": True,
        "other_route": "",
    },
    {
        "code": "bereavement_support",
        "name": "Bereavement Support Payment",
        "display_order": 100,
        "summary": "A first payment and up to 18 monthly payments if your husband, wife or civil partner died.",
        "who_it_is_for": "People under State Pension age whose partner died on or after 6 April 2017 and paid National Insurance.",
        "evidence_needed": [
            "The death certificate",
            "Your marriage or civil partnership certificate",
        ],
        "service_level_days": 20,
        "open_for_online_claims": True,
        "other_route": "",
    },
]


def load(apps, schema_editor):
    Benefit = apps.get_model("benefits", "Benefit")
    for entry in CATALOGUE:
        Benefit.objects.update_or_create(code=entry["code"], defaults=entry)


def unload(apps, schema_editor):
    apps.get_model("benefits", "Benefit").objects.filter(
        code__in=[e["code"] for e in CATALOGUE]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("benefits", "0002_rates_2025_26_and_2026_27")]

    operations = [migrations.RunPython(load, unload)]
