"""The help topics, FAQ and contact details as first loaded (migration 0005 and the demo);
afterwards they are data staff edit in the admin. The guidance comes from the office's own pages
(shared/seeds/). Figures the portal keeps elsewhere (fees, the card fee, processing time,
number prefixes) are written as {{ name }} and filled in when a page is shown
(information.selectors.help_facts), never typed here."""

CONTACT = {
    "office_name": "Office of Emergency Medical Services",
    "address": "Department of Public Health\n410 Capitol Avenue\nHartford, CT 06134",
    "phone": "860.509.7975",
    "licensing_email": "dph.emslicensing@ct.gov",
    "hours": "Monday to Friday, 8:30 a.m. to 4:30 p.m. (closed on state holidays)",
    "notes": (
        "Our office is in a secure building. A drop-box is at the 1st floor security desk at "
        "410 Capitol Avenue for applications, fees or any other documents; please schedule an "
        "appointment if you wish to meet with the staff. We strongly recommend sending "
        "documents by mail or email. Cash is not accepted."
    ),
}

# slug, title, summary, body (Markdown)
TOPICS = [
    (
        "renewal",
        "Renewing your certification: steps A and B",
        "Renewal has two steps: the national registry (NREMT) first, then the state "
        "application and fee here.",
        """Complete **both** steps to renew an EMT, Advanced EMT or Paramedic certification.
Start early: we recommend finishing every step at least six weeks before your expiration date.

## Step A: the National Registry (NREMT)

- Sign in to your training profile at the National Registry (NREMT) and make sure your email
  and mailing address are up to date.
- Affiliate with your agency on your certification dashboard there.
- Enter your continuing education courses, upload their documents and submit the
  "Recert Application" with the registry's own fee. Paying the fee is not the same as
  submitting the application: press "submit" at the bottom of that page too.
- Keep your course completion documents.

## Step B: the state renewal, here

1. [Create an account](/accounts/signup/) and sign in.
2. [Link your certification](/providers/link/) to your account.
3. From your dashboard, start the renewal: record your NREMT number and confirm that Step A
   is submitted, check your continuing education, sign the attestation.
4. Pay the state fee of {{ renewal_fee }}, then submit. Submission comes after payment.

## After you submit

Processing takes {{ processing_weeks }} weeks, counted from the day the office has everything
it needs. You are not recertified until the state record shows your new expiration date:
[verify your certification](/verify/) to check. Your card is emailed to you as a PDF; the
office no longer prints or mails cards.

An expiration date on the National Registry's site is **not** a state renewal.
""",
    ),
    (
        "certification-numbers",
        "What the letter in a certification number means",
        "The first letter of a certification number is the level.",
        """Every state certification number starts with a letter for its level, followed by six
digits (for example E100001):

{{ number_prefixes }}

Type the number with its letter when you link your account or verify a certification. A
number without its letter, or with the letter of another level, will not match.
""",
    ),
    (
        "fees",
        "Fees and payments",
        "What each application costs, the card convenience fee and the returned-payment fee.",
        """## Fees

- State certification renewal: {{ renewal_fee }}
- Initial state certification: {{ initial_fee }}
- Reinstatement of a lapsed certification: {{ reinstatement_fee }}
- Instructor/Coordinator or Examiner credential renewal: {{ credential_fee }}
- Organization annual license: {{ organization_license_fee }}

## Paying

Pay by credit or debit card, or by bank account (ACH/eCheck). Card payments carry a
convenience fee of {{ card_fee_percent }} of the amount; bank payments carry none.

**A returned payment** (insufficient funds, a wrong account number, or a card chargeback)
adds a fee of {{ returned_payment_fee }} and puts the application on hold until both are paid.
Check the account details before you pay.

The National Registry (Step A) charges its own fee, paid on its site, not here.
""",
    ),
    (
        "processing-times",
        "Processing times and where your application stands",
        "How long a decision takes and when the clock starts.",
        """Processing time for EMS provider applications is {{ processing_weeks }} weeks. It
begins when the office has received **everything** needed: the fee, the Step A confirmation,
your continuing education and any documents asked for.

Your dashboard shows each application's status and, once it is complete, the dates between
which to expect a decision. If staff return an application as incomplete, it lists what is
missing; the clock starts again when you send it back complete.

After your certification expires there is a grace period of {{ grace_days }} days; after that
it can be reinstated for up to {{ reinstatement_years }} years.
""",
    ),
    (
        "linking",
        "Linking your certification to your account",
        "Number, date of birth and the last digits of your Social Security number; what to do "
        'when it says "could not match".',
        """To renew online, link your existing certification to your account once:

1. Sign in and open [Link a certification](/providers/link/).
2. Type your certification number **with its letter** (see
   [what the letter means](/help/certification-numbers/)), your date of birth and your Social
   Security number. The number is used only to confirm it is you: the portal keeps a one-way
   check of it, never the number itself.

## It says "could not match"

- Check the number against your card, including the letter for your level.
- Check your date of birth (month, day and year) and your Social Security number.
- After several failed attempts linking is paused for a while: wait and try again.
- If the details are right and it still does not match, the state record may be wrong:
  [contact the office](/contact/) with your name, certification number and date of birth.
  Do not create a second account.

One account holds one person's certifications. An organization cannot link its employees'
certifications to its own account.
""",
    ),
    (
        "continuing-education",
        "Continuing education",
        "What counts, distributive education (T3 and F3 numbers) and keeping your documents.",
        """Record each continuing education course on your dashboard with its date, hours and
document. All continuing education may be Distributive Education (DE): online, self-paced
courses without a live instructor. A DE course has a T3 (state OEMS) or F3 (CAPCE) approval
number; type it as shown on your certificate.

Keep your course completion documents: upload them with the course, and keep your own copy.
[Browse the approved-course catalogue](/courses/).
""",
    ),
    (
        "new-organization",
        "Starting a new EMS organization",
        "How to apply for a new ambulance or first-responder service.",
        """A new ambulance or first-responder service applies to the office before it operates.
Sign in (or create an account) and choose **Start a new EMS organization** on the home page.
The application is saved as a draft as you go; submit it when it is complete. Staff review it
and tell you the decision by email.

An organization that already exists links its license to an administrator's account with its
license number and a one-time PIN sent to the organization's email address on file.
""",
    ),
]

# question, answer (Markdown), slug of the topic that explains more (or "")
FAQ = [
    (
        "The National Registry shows my new expiration date. Am I renewed?",
        "No. An NREMT date is not a state renewal. You are not recertified until the state "
        "record shows your new expiration date: finish Step B here and "
        "[verify your certification](/verify/) when it is approved.",
        "renewal",
    ),
    (
        "What do E, A, P and R at the start of my number mean?",
        "They are your level:\n\n{{ number_prefixes }}",
        "certification-numbers",
    ),
    (
        "How much does renewal cost, and is there a fee for paying by card?",
        "The state renewal fee is {{ renewal_fee }}. Card payments add a convenience fee of "
        "{{ card_fee_percent }}; bank (ACH/eCheck) payments add none. A returned payment adds "
        "{{ returned_payment_fee }}.",
        "fees",
    ),
    (
        "How long does processing take?",
        "{{ processing_weeks }} weeks from the day the office has everything it needs.",
        "processing-times",
    ),
    (
        'Linking says "could not match". What do I do?',
        "Check the number with its level letter, your date of birth and your Social Security "
        "number against your card. If they are right, [contact the office](/contact/); do not "
        "create a second account.",
        "linking",
    ),
    (
        "Will I get a paper card or paper reminders?",
        "No. Reminders and important changes in statute, regulations and policies are emailed, "
        "and your card is emailed as a PDF when your renewal is approved. Keep your email "
        "address up to date.",
        "",
    ),
    (
        "My payment was returned. What happens now?",
        "A returned payment adds a fee of {{ returned_payment_fee }} and puts the application on "
        "hold. Pay the amount shown on your dashboard to take it off hold.",
        "fees",
    ),
]


def load(*, topic_model, faq_model, contact_model) -> None:
    """Add what is missing (by slug, question, one contact row); rows staff have are left as
    they are. Takes the models so the migration can pass its historical ones."""
    topics = {}
    for position, (slug, title, summary, body) in enumerate(TOPICS):
        topics[slug], _ = topic_model.objects.get_or_create(
            slug=slug,
            defaults={"title": title, "summary": summary, "body": body, "position": position},
        )
    for position, (question, answer, topic) in enumerate(FAQ):
        faq_model.objects.get_or_create(
            question=question,
            defaults={"answer": answer, "topic": topics.get(topic), "position": position},
        )
    if not contact_model.objects.exists():
        contact_model.objects.create(**CONTACT)
