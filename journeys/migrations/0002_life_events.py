"""The eight life events people can start a plan from. Editable in the admin afterwards.

The content is data, not code: staff change it in the admin, so it is not marked for
translation here. Due dates count days from the date of the event (negative: before it).
Deadlines follow GOV.UK for England and Wales. "Within 3 months" is 89 days, the shortest
3 months in any year, so a reminder is never later than the real deadline.
"""

from django.db import migrations

CITIZENS_ADVICE = {
    "organisation": "Citizens Advice",
    "helps_with": "They give free, confidential advice on benefits, work, debt, housing and family problems.",
    "contact": "Adviceline 0800 144 8848 (England), 0800 702 2020 (Wales), or citizensadvice.org.uk",
}
TURN2US = {
    "organisation": "Turn2us",
    "helps_with": "Their benefits calculator and grants search show what help you could get.",
    "contact": "turn2us.org.uk",
}
AGE_UK = {
    "organisation": "Age UK",
    "helps_with": "They give free advice to older people and their families on money, care and benefits.",
    "contact": "Age UK Advice Line 0800 678 1602, or ageuk.org.uk",
}

UC_CHANGES = "https://www.gov.uk/universal-credit/changes-of-circumstances"
UC_CLAIM = "https://www.gov.uk/universal-credit/how-to-claim"
COUNCIL_TAX_DISCOUNT = "https://www.gov.uk/apply-for-council-tax-discount"

LIFE_EVENTS = [
    {
        "code": "losing-job",
        "name": "Losing your job or having your hours cut",
        "display_order": 10,
        "summary": (
            "If your job has ended or your pay has gone down, you may be able to get benefits "
            "straight away. This plan shows what to claim first and where to get help finding work."
        ),
        "date_question": "When did your job end, or when were your hours cut?",
        "questions": [
            {
                "slug": "earnings_now",
                "text": "How much will you earn each month from now on, after tax and National Insurance?",
                "kind": "money",
                "path": "claimant.monthly_earnings",
                "hint": "Enter 0 if you have stopped working.",
            },
            {
                "slug": "savings",
                "text": "How much do you and your partner have in savings and investments?",
                "kind": "money",
                "path": "capital",
                "hint": "Include any redundancy pay you have been paid. Do not include the value of your home.",
            },
        ],
        "benefits_to_check": ["universal_credit", "jsa"],
        "tasks": [
            {
                "key": "claim-universal-credit",
                "title": "Claim Universal Credit",
                "help": (
                    "Universal Credit is usually paid only from the day you claim, so claim as soon "
                    "as your income drops. You can get it if you are out of work or your pay has gone down."
                ),
                "due_days": 0,
                "link": UC_CLAIM,
            },
            {
                "key": "claim-new-style-jsa",
                "title": "Check if you can get New Style Jobseeker's Allowance",
                "help": (
                    "You may get it if you paid National Insurance as an employee in the last 2 to 3 "
                    "years. Your savings and your partner's income do not affect it."
                ),
                "due_days": 0,
                "link": "https://www.gov.uk/jobseekers-allowance/how-to-claim",
            },
            {
                "key": "get-p45",
                "title": "Get your P45 from your employer",
                "help": (
                    "Your employer must give you a P45 when you leave. You will need it for your next "
                    "job or to claim back tax you have overpaid."
                ),
                "due_days": 14,
                "link": "https://www.gov.uk/paye-forms-p45-p60-p11d",
            },
            {
                "key": "check-final-pay",
                "title": "Check your final pay and any redundancy pay",
                "help": (
                    "If you worked for your employer for 2 years or more and were made redundant, you "
                    "are usually entitled to statutory redundancy pay. If you are not paid what you are "
                    "owed, get advice from Acas quickly, because there are time limits."
                ),
                "due_days": 28,
                "link": "https://www.gov.uk/redundant-your-rights/redundancy-pay",
            },
            {
                "key": "council-tax-reduction",
                "title": "Apply for Council Tax Reduction",
                "help": "Your council may lower your Council Tax bill now that your income has dropped.",
                "due_days": 14,
                "link": "https://www.gov.uk/apply-council-tax-reduction",
            },
            {
                "key": "find-work",
                "title": "Get help finding work or training",
                "help": (
                    "The National Careers Service can help you with your CV, job applications and "
                    "training. It is free."
                ),
                "due_days": 28,
                "link": "https://nationalcareers.service.gov.uk/",
            },
        ],
        "partner_services": [
            CITIZENS_ADVICE,
            {
                "organisation": "Acas",
                "helps_with": "They give free advice on your rights at work, including redundancy and final pay.",
                "contact": "Helpline 0300 123 1100, or acas.org.uk",
            },
            {
                "organisation": "National Careers Service",
                "helps_with": "Their careers advisers help with finding work, CVs and training.",
                "contact": "0800 100 900, or nationalcareers.service.gov.uk",
            },
            {
                "organisation": "StepChange Debt Charity",
                "helps_with": "They give free debt advice if you are worried about paying bills.",
                "contact": "0800 138 1111, or stepchange.org",
            },
        ],
        "updates_facts": ["monthly_earnings", "capital"],
    },
    {
        "code": "having-a-baby",
        "name": "Having a baby",
        "display_order": 20,
        "summary": (
            "Having a baby brings new costs and some deadlines. This plan helps you get maternity "
            "pay, register the birth and claim Child Benefit on time."
        ),
        "date_question": "When is your baby due, or when were they born?",
        "questions": [
            {
                "slug": "has_partner",
                "text": "Do you live with a partner?",
                "kind": "yes_no",
                "path": "has_partner",
                "hint": "A partner is someone you are married to, in a civil partnership with, or live with as a couple.",
            },
            {
                "slug": "earnings",
                "text": "How much will you earn each month while you are on leave, after tax and National Insurance?",
                "kind": "money",
                "path": "claimant.monthly_earnings",
                "hint": "Include Statutory Maternity Pay or Paternity Pay. Enter 0 if you will not be paid.",
            },
            {
                "slug": "partner_earnings",
                "text": "How much does your partner earn each month, after tax and National Insurance?",
                "kind": "money",
                "path": "partner.monthly_earnings",
                "hint": "Enter 0 if you do not have a partner or they do not work.",
            },
        ],
        "benefits_to_check": ["child_benefit", "maternity_allowance", "universal_credit"],
        "tasks": [
            {
                "key": "healthy-start",
                "title": "Check if you can get Healthy Start",
                "help": (
                    "If you are at least 10 weeks pregnant and get Universal Credit or certain other "
                    "benefits, you may get money for milk, fruit and vegetables."
                ),
                # 10 weeks pregnant is 30 weeks before the due date.
                "due_days": -210,
                "link": "https://www.healthystart.nhs.uk/",
            },
            {
                "key": "tell-employer",
                "title": "Tell your employer you are pregnant",
                "help": (
                    "To get Statutory Maternity Pay and leave, tell your employer at least 15 weeks "
                    "before the week your baby is due."
                ),
                # 16 weeks before the due date, so it is before the start of the due week.
                "due_days": -112,
                "link": "https://www.gov.uk/maternity-pay-leave/how-to-claim",
            },
            {
                "key": "claim-maternity-allowance",
                "title": "Claim Maternity Allowance if you cannot get Statutory Maternity Pay",
                "help": (
                    "You can claim once you have been pregnant for 26 weeks. Payments can start 11 "
                    "weeks before the week your baby is due, so claim early."
                ),
                # Claimable from 98 days before the due date; a week's margin before payments start.
                "due_days": -91,
                "link": "https://www.gov.uk/maternity-allowance/how-to-claim",
            },
            {
                "key": "register-birth",
                "title": "Register the birth",
                "help": "In England and Wales you must register the birth within 42 days. Book an appointment with your local register office.",
                "due_days": 42,
                "link": "https://www.gov.uk/register-birth",
            },
            {
                "key": "claim-child-benefit",
                "title": "Claim Child Benefit",
                "help": (
                    "Child Benefit can only be backdated by up to 3 months, so claim within 3 months "
                    "of the birth. Claiming also protects your State Pension if you stay at home with "
                    "a child under 12."
                ),
                "due_days": 89,
                "link": "https://www.gov.uk/child-benefit/how-to-claim",
            },
            {
                "key": "report-to-universal-credit",
                "title": "If you get Universal Credit, report the birth",
                "help": "Report your baby's birth in your online account as soon as you can. Your payments may go up.",
                "due_days": 7,
                "link": UC_CHANGES,
            },
            {
                "key": "sure-start-maternity-grant",
                "title": "Check if you can get a Sure Start Maternity Grant",
                "help": (
                    "If you get certain benefits and this is your first child, you may get a one-off "
                    "payment of £500. You must claim within 6 months of the birth."
                ),
                "due_days": 180,
                "link": "https://www.gov.uk/sure-start-maternity-grant",
            },
        ],
        "partner_services": [
            {
                "organisation": "Maternity Action",
                "helps_with": "They give free advice on maternity rights at work and maternity pay.",
                "contact": "Advice line 0808 802 0029, or maternityaction.org.uk",
            },
            {
                "organisation": "NCT",
                "helps_with": "They support parents through pregnancy, birth and the early days.",
                "contact": "Helpline 0300 330 0700, or nct.org.uk",
            },
            CITIZENS_ADVICE,
        ],
        "updates_facts": [
            "pregnancy_due_date",
            "relationship_status",
            "monthly_earnings",
            "partner_monthly_earnings",
        ],
    },
    {
        "code": "becoming-a-carer",
        "name": "Becoming a carer",
        "display_order": 30,
        "summary": (
            "If you look after someone who is ill, disabled or older, you may be able to get money "
            "and support for yourself. This plan shows what to claim and who can help."
        ),
        "date_question": "When did you start caring for them?",
        "questions": [
            {
                "slug": "caring_hours",
                "text": "How many hours a week do you spend caring for them?",
                "kind": "count",
                "path": "claimant.caring_hours",
                "hint": "Include time spent on personal care, meals, shopping, appointments and keeping an eye on them.",
            },
            {
                "slug": "cared_for_gets_benefit",
                "text": "Does the person you care for get Personal Independence Payment, Attendance Allowance or Disability Living Allowance?",
                "kind": "yes_no",
                "path": "",
                "hint": "Carer's Allowance depends on the person you care for getting one of these benefits.",
            },
            {
                "slug": "earnings",
                "text": "How much do you earn each month, after tax and National Insurance?",
                "kind": "money",
                "path": "claimant.monthly_earnings",
                "hint": "Carer's Allowance has a weekly earnings limit. Enter 0 if you do not work.",
            },
        ],
        "benefits_to_check": ["carers_allowance", "universal_credit"],
        "tasks": [
            {
                "key": "claim-carers-allowance",
                "title": "Claim Carer's Allowance",
                "help": (
                    "You may get it if you care for someone for at least 35 hours a week and they get "
                    "a qualifying disability benefit. It can be backdated by up to 3 months, so claim "
                    "within 3 months of starting to care."
                ),
                "due_days": 89,
                "link": "https://www.gov.uk/carers-allowance/how-to-claim",
            },
            {
                "key": "check-their-benefits",
                "title": "Check the person you care for has claimed the disability benefits they can get",
                "help": (
                    "Carer's Allowance depends on them getting a benefit such as Personal Independence "
                    "Payment or Attendance Allowance. If they have not claimed, they can check if they qualify."
                ),
                "due_days": 14,
                "link": "https://www.gov.uk/browse/benefits/disability",
            },
            {
                "key": "report-to-universal-credit",
                "title": "If you get Universal Credit, tell them you are a carer",
                "help": (
                    "You could get extra money if you care for someone for at least 35 hours a week. "
                    "Report it in your online account."
                ),
                "due_days": 7,
                "link": UC_CHANGES,
            },
            {
                "key": "carers-assessment",
                "title": "Ask your council for a carer's assessment",
                "help": (
                    "A carer's assessment is free and looks at what would make caring easier for you. "
                    "It can lead to help such as breaks from caring."
                ),
                "due_days": 28,
                "link": "https://www.nhs.uk/social-care-and-support/support-and-benefits-for-carers/carer-assessments/",
            },
            {
                "key": "carers-credit",
                "title": "Check if you can get Carer's Credit",
                "help": (
                    "Carer's Credit protects your State Pension if you care for someone for at least "
                    "20 hours a week. You do not need it if you get Carer's Allowance."
                ),
                "due_days": 56,
                "link": "https://www.gov.uk/carers-credit",
            },
            {
                "key": "talk-to-employer",
                "title": "Talk to your employer about working and caring",
                "help": (
                    "You have the right to ask for flexible working. Employees can also take up to one "
                    "week of unpaid carer's leave each year."
                ),
                "due_days": 28,
                "link": "https://www.gov.uk/carers-leave",
            },
        ],
        "partner_services": [
            {
                "organisation": "Carers UK",
                "helps_with": "They give carers free advice on benefits, work and getting support.",
                "contact": "Helpline 0808 808 7777, or carersuk.org",
            },
            {
                "organisation": "Carers Trust",
                "helps_with": "Their local carer centres offer breaks, advice and someone to talk to.",
                "contact": "carers.org",
            },
            CITIZENS_ADVICE,
            AGE_UK,
        ],
        "updates_facts": ["caring_hours", "monthly_earnings"],
    },
    {
        "code": "illness-or-disability",
        "name": "Illness or disability",
        "display_order": 40,
        "summary": (
            "If a health condition or disability affects your work or daily life, you may be able "
            "to get money to help. This plan shows what to claim and how to report it."
        ),
        "date_question": "When did your condition start to affect your work or daily life?",
        "questions": [
            {
                "slug": "stops_work",
                "text": "Does your health condition or disability stop you from working?",
                "kind": "yes_no",
                "path": "claimant.lcwra",
                "hint": "Answer yes if you cannot work at all, or can only do very little, because of your health.",
            },
            {
                "slug": "earnings_now",
                "text": "How much do you earn each month now, after tax and National Insurance?",
                "kind": "money",
                "path": "claimant.monthly_earnings",
                "hint": "Include any sick pay. Enter 0 if you are not being paid.",
            },
            {
                "slug": "savings",
                "text": "How much do you and your partner have in savings and investments?",
                "kind": "money",
                "path": "capital",
                "hint": "Do not include the value of your home.",
            },
        ],
        "benefits_to_check": ["universal_credit", "pip", "attendance_allowance"],
        "tasks": [
            {
                "key": "get-fit-note",
                "title": "Get a fit note if you are off work for more than 7 days",
                "help": (
                    "For the first 7 days off sick you can tell your employer yourself. After that, a "
                    "doctor or other healthcare professional can give you a fit note."
                ),
                "due_days": 7,
                "link": "https://www.gov.uk/taking-sick-leave",
            },
            {
                "key": "sick-pay",
                "title": "Ask your employer about sick pay",
                "help": "If you are employed, your employer may pay you Statutory Sick Pay for up to 28 weeks.",
                "due_days": 7,
                "link": "https://www.gov.uk/statutory-sick-pay",
            },
            {
                "key": "universal-credit",
                "title": "Claim Universal Credit, or tell them about your health if you already get it",
                "help": (
                    "Universal Credit is not usually backdated, so claim as soon as your income drops. "
                    "If you already get it, report your condition and send your fit note so you can be "
                    "assessed for extra money."
                ),
                "due_days": 0,
                "link": "https://www.gov.uk/health-conditions-disability-universal-credit",
            },
            {
                "key": "new-style-esa",
                "title": "Check if you can get New Style Employment and Support Allowance",
                "help": (
                    "You may get it if illness or disability stops you working and you have paid "
                    "National Insurance in the last 2 to 3 years. You can get it as well as Universal Credit."
                ),
                "due_days": 7,
                "link": "https://www.gov.uk/employment-support-allowance",
            },
            {
                "key": "claim-pip",
                "title": "Claim Personal Independence Payment if you are under State Pension age",
                "help": (
                    "You can get it if your condition has made daily tasks or getting around hard for "
                    "3 months and is expected to for at least 9 more. It is not backdated, so claim as "
                    "soon as you qualify. If you are terminally ill, you can claim straight away."
                ),
                "due_days": 90,
                "link": "https://www.gov.uk/pip/how-to-claim",
            },
            {
                "key": "claim-attendance-allowance",
                "title": "Claim Attendance Allowance if you are over State Pension age",
                "help": (
                    "You can get it if you have needed help with personal care or supervision for 6 "
                    "months. If you are terminally ill, you can claim straight away."
                ),
                "due_days": 180,
                "link": "https://www.gov.uk/attendance-allowance/how-to-claim",
            },
        ],
        "partner_services": [
            CITIZENS_ADVICE,
            {
                "organisation": "Scope",
                "helps_with": "They give disabled people and their families advice on benefits, work and daily life.",
                "contact": "Helpline 0808 800 3333, or scope.org.uk",
            },
            {
                "organisation": "Mind",
                "helps_with": "They give information and support if you have a mental health problem.",
                "contact": "Infoline 0300 123 3393, or mind.org.uk",
            },
            {
                "organisation": "Macmillan Cancer Support",
                "helps_with": "They give people with cancer free help with money, work and benefits.",
                "contact": "Support line 0808 808 00 00, or macmillan.org.uk",
            },
        ],
        "updates_facts": ["health_condition", "lcwra", "monthly_earnings", "capital"],
    },
    {
        "code": "retiring",
        "name": "Retiring",
        "display_order": 50,
        "summary": (
            "Your State Pension is not paid automatically, and you may be able to get more. This "
            "plan helps you claim your pensions and check for extra help."
        ),
        "date_question": "When will you stop work, or when did you stop?",
        "questions": [
            {
                "slug": "pension_income",
                "text": "How much will you get each week from workplace or personal pensions?",
                "kind": "money",
                "path": "claimant.weekly_pension_income",
                "hint": "Do not include your State Pension. Enter 0 if you have no other pensions.",
            },
            {
                "slug": "savings",
                "text": "How much do you and your partner have in savings and investments?",
                "kind": "money",
                "path": "capital",
                "hint": "Do not include the value of your home.",
            },
            {
                "slug": "has_partner",
                "text": "Do you live with a partner?",
                "kind": "yes_no",
                "path": "has_partner",
                "hint": "Pension Credit looks at the income and savings of you both.",
            },
        ],
        "benefits_to_check": ["state_pension", "pension_credit", "attendance_allowance"],
        "tasks": [
            {
                "key": "check-forecast",
                "title": "Check your State Pension age and forecast",
                "help": (
                    "Your forecast tells you how much State Pension you could get and when. You may be "
                    "able to fill gaps in your National Insurance record to get more."
                ),
                "due_days": -180,
                "link": "https://www.gov.uk/check-state-pension",
            },
            {
                "key": "pension-providers",
                "title": "Contact your workplace and personal pension providers",
                "help": (
                    "Ask each provider how and when you can take your pension. If you have lost track "
                    "of a pension, the Pension Tracing Service can find the provider for you."
                ),
                "due_days": -90,
                "link": "https://www.gov.uk/find-pension-contact-details",
            },
            {
                "key": "pension-wise",
                "title": "Book a free Pension Wise appointment",
                "help": (
                    "If you are 50 or over and have a defined contribution pension, Pension Wise "
                    "explains your choices for free."
                ),
                "due_days": -90,
                "link": "https://www.moneyhelper.org.uk/en/pensions-and-retirement/pension-wise",
            },
            {
                "key": "claim-state-pension",
                "title": "Claim your State Pension",
                "help": (
                    "Your State Pension is not paid automatically, so you need to claim it. You can "
                    "claim up to 4 months before you reach State Pension age."
                ),
                "due_days": -60,
                "link": "https://www.gov.uk/get-state-pension",
            },
            {
                "key": "claim-pension-credit",
                "title": "Check if you can get Pension Credit",
                "help": (
                    "Pension Credit tops up a low weekly income and can open the door to other help, "
                    "such as with housing costs and heating bills. It can be backdated by up to 3 months."
                ),
                "due_days": 0,
                "link": "https://www.gov.uk/pension-credit/how-to-claim",
            },
            {
                "key": "bus-pass",
                "title": "Apply for your older person's bus pass",
                "help": (
                    "In England you can get free off-peak bus travel from State Pension age. In Wales "
                    "you can get it from age 60."
                ),
                "due_days": 28,
                "link": "https://www.gov.uk/apply-for-elderly-person-bus-pass",
            },
        ],
        "partner_services": [
            AGE_UK,
            {
                "organisation": "Independent Age",
                "helps_with": "They give older people free advice on money, benefits and care.",
                "contact": "Helpline 0800 319 6789, or independentage.org",
            },
            {
                "organisation": "MoneyHelper (Pension Wise)",
                "helps_with": "They give free, impartial guidance on your pension choices.",
                "contact": "0800 138 3944, or moneyhelper.org.uk",
            },
            CITIZENS_ADVICE,
        ],
        "updates_facts": ["monthly_earnings", "capital", "relationship_status"],
    },
    {
        "code": "bereavement",
        "name": "When someone dies",
        "display_order": 60,
        "summary": (
            "We are sorry for your loss. This plan lists what has to be done after a death, in "
            "order, and the money you may be able to get."
        ),
        "date_question": "What date did they die?",
        "questions": [
            {
                "slug": "was_partner",
                "text": "Were you married to them, in a civil partnership with them, or living with them as a couple?",
                "kind": "yes_no",
                "path": "",
                "hint": "Bereavement Support Payment is for partners. If you were not married, you may still get it if you lived together and have children.",
            },
            {
                "slug": "child_benefit_or_pregnant",
                "text": "Were you getting Child Benefit, or pregnant, when they died?",
                "kind": "yes_no",
                "path": "",
                "hint": "If you were, you may get the higher rate of Bereavement Support Payment.",
            },
        ],
        "benefits_to_check": ["bereavement_support", "universal_credit", "pension_credit"],
        "tasks": [
            {
                "key": "register-death",
                "title": "Register the death",
                "help": (
                    "In England and Wales you must usually register a death within 5 days. The "
                    "register office will tell you what to bring."
                ),
                "due_days": 5,
                "link": "https://www.gov.uk/register-a-death",
            },
            {
                "key": "tell-us-once",
                "title": "Use Tell Us Once to tell government organisations",
                "help": (
                    "The registrar will give you a Tell Us Once reference number. Use it within 28 "
                    "days to tell most government organisations about the death in one go."
                ),
                "due_days": 28,
                "link": "https://www.gov.uk/after-a-death/organisations-you-need-to-contact-and-tell-us-once",
            },
            {
                "key": "report-to-universal-credit",
                "title": "If you get Universal Credit, report the death",
                "help": (
                    "Your payments may change if your partner or someone you lived with has died. "
                    "Report it in your online account as soon as you can."
                ),
                "due_days": 7,
                "link": UC_CHANGES,
            },
            {
                "key": "claim-bereavement-support",
                "title": "Claim Bereavement Support Payment if your partner died",
                "help": (
                    "You may get a first payment and up to 18 monthly payments. Claim within 3 months "
                    "of the death to get the full amount."
                ),
                "due_days": 89,
                "link": "https://www.gov.uk/bereavement-support-payment/how-to-claim",
            },
            {
                "key": "council-tax",
                "title": "Check your Council Tax",
                "help": "If you now live alone, you can apply for a 25% single person discount on your Council Tax.",
                "due_days": 28,
                "link": COUNCIL_TAX_DISCOUNT,
            },
            {
                "key": "probate",
                "title": "Find out if you need to apply for probate",
                "help": (
                    "You may need probate to deal with the money, property and belongings of the "
                    "person who died. If Inheritance Tax is due, it must be paid by the end of the "
                    "sixth month after the death."
                ),
                "due_days": 60,
                "link": "https://www.gov.uk/applying-for-probate",
            },
            {
                "key": "funeral-payment",
                "title": "Check if you can get help with funeral costs",
                "help": (
                    "If you get certain benefits, such as Universal Credit or Pension Credit, you may "
                    "get a Funeral Expenses Payment. You must claim within 6 months of the funeral."
                ),
                "due_days": 180,
                "link": "https://www.gov.uk/funeral-payments",
            },
        ],
        "partner_services": [
            {
                "organisation": "Cruse Bereavement Support",
                "helps_with": "They offer free support to anyone who is grieving, by phone, online and in person.",
                "contact": "Helpline 0808 808 1677, or cruse.org.uk",
            },
            {
                "organisation": "Child Bereavement UK",
                "helps_with": "They support families when a child dies or a child is grieving.",
                "contact": "Helpline 0800 02 888 40, or childbereavementuk.org",
            },
            CITIZENS_ADVICE,
            AGE_UK,
        ],
        "updates_facts": ["bereavement_date"],
    },
    {
        "code": "moving-home",
        "name": "Moving home",
        "display_order": 70,
        "summary": (
            "When you move, several organisations need your new address. This plan lists who to "
            "tell and how your benefits may change."
        ),
        "date_question": "When are you moving, or when did you move?",
        "questions": [
            {
                "slug": "will_rent",
                "text": "Will you pay rent at your new home?",
                "kind": "yes_no",
                "path": "",
                "hint": "Universal Credit can include help with rent.",
            },
        ],
        "benefits_to_check": ["universal_credit"],
        "tasks": [
            {
                "key": "council-tax",
                "title": "Tell your council you are moving",
                "help": (
                    "Tell the council for your old home and your new home the date you move, so you pay "
                    "the right Council Tax. If you will live alone, ask for the single person discount."
                ),
                "due_days": 0,
                "link": "https://www.gov.uk/council-tax",
            },
            {
                "key": "report-to-universal-credit",
                "title": "If you get Universal Credit, report your new address",
                "help": "Report the move in your online account as soon as you can. Your help with housing costs may change.",
                "due_days": 0,
                "link": UC_CHANGES,
            },
            {
                "key": "driving-licence",
                "title": "Change the address on your driving licence",
                "help": "You must tell DVLA when you move. It is free, and you can be fined up to £1,000 if you do not.",
                "due_days": 7,
                "link": "https://www.gov.uk/change-address-driving-licence",
            },
            {
                "key": "register-to-vote",
                "title": "Register to vote at your new address",
                "help": "You need to register again when you move. It takes about 5 minutes online.",
                "due_days": 14,
                "link": "https://www.gov.uk/register-to-vote",
            },
            {
                "key": "tell-hmrc",
                "title": "Tell HM Revenue and Customs your new address",
                "help": "This makes sure letters about your tax and Child Benefit reach you.",
                "due_days": 14,
                "link": "https://www.gov.uk/tell-hmrc-change-address",
            },
            {
                "key": "deposit",
                "title": "If you rent, check your deposit is protected",
                "help": (
                    "Your landlord must put your deposit in a government-approved scheme within 30 days "
                    "of getting it. They must also tell you which scheme they used."
                ),
                "due_days": 30,
                "link": "https://www.gov.uk/tenancy-deposit-protection",
            },
            {
                "key": "register-gp",
                "title": "Register with a GP near your new home",
                "help": "You can register online or by contacting the GP surgery. You do not need proof of address or ID.",
                "due_days": 28,
                "link": "https://www.nhs.uk/nhs-services/gps/how-to-register-with-a-gp-surgery/",
            },
        ],
        "partner_services": [
            {
                "organisation": "Shelter",
                "helps_with": "They give free advice on renting, deposits, repairs and homelessness.",
                "contact": "Helpline 0808 800 4444, or shelter.org.uk",
            },
            CITIZENS_ADVICE,
            TURN2US,
        ],
        "updates_facts": ["address"],
    },
    {
        "code": "separating",
        "name": "Separating from a partner",
        "display_order": 80,
        "summary": (
            "When you separate, your money and your benefits can change. This plan shows what to "
            "report, what you may be able to claim and where to get support."
        ),
        "date_question": "When did you and your partner separate?",
        "questions": [
            {
                "slug": "earnings",
                "text": "How much do you earn each month, after tax and National Insurance?",
                "kind": "money",
                "path": "claimant.monthly_earnings",
                "hint": "Only include your own earnings. Enter 0 if you do not work.",
            },
            {
                "slug": "savings",
                "text": "How much do you have in savings and investments of your own?",
                "kind": "money",
                "path": "capital",
                "hint": "Do not include the value of your home.",
            },
            {
                "slug": "children_live_with_you",
                "text": "Do your children live with you most of the time?",
                "kind": "yes_no",
                "path": "",
                "hint": "Child Benefit and the extra Universal Credit for children usually go to the parent the children mainly live with.",
            },
        ],
        "benefits_to_check": ["universal_credit", "child_benefit", "pension_credit"],
        "tasks": [
            {
                "key": "report-to-universal-credit",
                "title": "If you get Universal Credit, report the separation",
                "help": (
                    "A joint claim ends when a couple separates, and you may each need to claim on your "
                    "own. Report it in your online account as soon as you can."
                ),
                "due_days": 0,
                "link": UC_CHANGES,
            },
            {
                "key": "claim-universal-credit",
                "title": "Check if you can get Universal Credit on your own",
                "help": (
                    "Your household income has changed, so you may now qualify. Universal Credit is not "
                    "usually backdated, so claim as soon as you can."
                ),
                "due_days": 0,
                "link": UC_CLAIM,
            },
            {
                "key": "child-benefit",
                "title": "Sort out who gets Child Benefit",
                "help": (
                    "Only one person can get Child Benefit for a child. If your children live with you "
                    "and your ex-partner was getting it, claim it yourself. It can only be backdated by up to 3 months."
                ),
                "due_days": 89,
                "link": "https://www.gov.uk/child-benefit",
            },
            {
                "key": "council-tax-discount",
                "title": "Apply for a Council Tax single person discount",
                "help": "If you now live alone, or with only children, you can get 25% off your Council Tax bill.",
                "due_days": 28,
                "link": COUNCIL_TAX_DISCOUNT,
            },
            {
                "key": "child-maintenance",
                "title": "Arrange child maintenance",
                "help": (
                    "You and the other parent can agree child maintenance between you. If you cannot "
                    "agree, Child Maintenance Options can explain your choices."
                ),
                "due_days": 28,
                "link": "https://www.gov.uk/arranging-child-maintenance-yourself",
            },
            {
                "key": "mediation",
                "title": "Find out about family mediation",
                "help": (
                    "A mediator can help you agree arrangements for children, money and property "
                    "without going to court. You may get a voucher towards the cost if your case "
                    "involves children."
                ),
                "due_days": 56,
                "link": "https://www.gov.uk/guidance/family-mediation-voucher-scheme",
            },
        ],
        "partner_services": [
            {
                "organisation": "National Domestic Abuse Helpline",
                "helps_with": "They give free, confidential support if you are experiencing domestic abuse.",
                "contact": "0808 2000 247 (24 hours), or nationaldahelpline.org.uk",
            },
            {
                "organisation": "Gingerbread",
                "helps_with": "They give single parents advice on money, benefits, work and child maintenance.",
                "contact": "Single Parent Helpline 0808 802 0925, or gingerbread.org.uk",
            },
            {
                "organisation": "Relate",
                "helps_with": "They offer counselling and support for couples, families and people who are separating.",
                "contact": "relate.org.uk",
            },
            CITIZENS_ADVICE,
        ],
        "updates_facts": ["relationship_status", "monthly_earnings", "capital"],
    },
]


def forwards(apps, schema_editor):
    LifeEvent = apps.get_model("journeys", "LifeEvent")
    for entry in LIFE_EVENTS:
        LifeEvent.objects.update_or_create(code=entry["code"], defaults=entry)


def backwards(apps, schema_editor):
    apps.get_model("journeys", "LifeEvent").objects.filter(
        code__in=[e["code"] for e in LIFE_EVENTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("journeys", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
