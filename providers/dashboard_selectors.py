"""What a signed-in person's dashboard leads with: for each certification its status, the date
to renew by and what the renewal still misses, with the ONE action that continues where the
person left off; then every application of theirs still in progress, of any kind (renewal,
first certification, reinstatement, instructor/examiner credential, organization application,
rate filing), with its status and its clock. The one home of "what is my next step": the view
and the templates only show what this returns.

It reads other apps' selectors (organizations, rates, payments); nothing imports it but the
dashboard view, so no cycle."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from organizations.models import ApplicationStatus as OrganizationApplicationStatus
from organizations.selectors import applications_for as organization_applications_for
from payments.fees import current_fee
from payments.models import FeeCode, Invoice
from payments.selectors import invoices_for_subjects
from rates.models import FilingForm, FilingStatus
from rates.selectors import filings_visible_to

from . import rules, selectors
from .credentials import OPEN_CREDENTIAL_RENEWAL_STATUSES
from .models import (
    DECIDED_STATUSES,
    ApplicationStatus,
    Certification,
    Credential,
    CredentialRenewal,
    InitialApplication,
    Provider,
    ReinstatementApplication,
    RenewalApplication,
    RenewalStep,
)

AnyApplication = RenewalApplication | InitialApplication | ReinstatementApplication


@dataclass(frozen=True)
class Action:
    """The one button of a next step: a link, or a form posted to ``url`` (``post``)."""

    label: str
    url: str
    post: bool = False


@dataclass(frozen=True)
class Clock:
    """Where an application stands in time: the decision window once it is complete (from the
    processing time), else the day it reached the office. Decided applications have none."""

    since: date
    earliest: date | None = None
    latest: date | None = None


@dataclass
class CertificationStep:
    certification: Certification
    status_label: str
    renew_by: date | None = None  # set while the renewal window is open
    missing: list[str] = field(default_factory=list)
    action: Action | None = None
    note: str = ""  # what stands instead of an action (submitted, decided, closed)
    warning: str = ""  # what needs the person's attention first (returned, on hold)
    on_hold: bool = False
    # An instructor/examiner credential's row also names the credential and its current renewal.
    credential: Credential | None = None
    renewal: CredentialRenewal | None = None


@dataclass(frozen=True)
class InProgress:
    kind: str
    subject: str
    status_label: str
    url: str
    reference: str = ""
    clock: Clock | None = None
    action: Action | None = None


@dataclass
class Dashboard:
    provider: Provider | None
    certifications: list[CertificationStep] = field(default_factory=list)
    credentials: list[CertificationStep] = field(default_factory=list)
    in_progress: list[InProgress] = field(default_factory=list)

    @property
    def next_steps(self) -> list[CertificationStep]:
        return [step for step in (*self.certifications, *self.credentials) if step.action]


def _date(value) -> date:
    return timezone.localdate(value) if hasattr(value, "tzinfo") else value


def _reviewed_clock(application: AnyApplication) -> Clock | None:
    if application.status in DECIDED_STATUSES:
        return None
    if application.complete_on:
        window = rules.processing_window(application.complete_on)
        return Clock(since=application.complete_on, earliest=window.earliest, latest=window.latest)
    if application.submitted_at:
        return Clock(since=_date(application.submitted_at))
    return None


def _balance(invoice: Invoice | None) -> Decimal:
    # invoices_for_subjects annotates each invoice with what is still owed on it.
    return invoice.balance if invoice is not None else Decimal(0)  # type: ignore[attr-defined]


def _pay(invoice: Invoice | None, label: str) -> Action | None:
    if invoice is None or not _balance(invoice):
        return None
    return Action(
        f"{label} (${_balance(invoice)})",
        reverse("payments:pay", kwargs={"invoice_id": invoice.pk}),
    )


def _reviewed_action(application: AnyApplication, invoice: Invoice | None) -> Action | None:
    """Where an application of the one lifecycle continues, for the person who made it."""
    url = application.get_absolute_url()
    status = application.status
    if status == ApplicationStatus.FEE_DUE:
        return _pay(invoice, "Pay the fee") or Action("Pay the fee", url)
    if status == ApplicationStatus.ON_HOLD:
        return _pay(invoice, "Pay the balance") or Action("Pay the balance", url)
    if status == ApplicationStatus.PAID:
        return Action("Submit the application", url)
    if status == ApplicationStatus.RETURNED:
        return Action("Fix and resubmit", url)
    if status == ApplicationStatus.DRAFT:
        return Action("Continue the application", url)
    return None


def _renewal_action(application: RenewalApplication, invoice: Invoice | None) -> Action | None:
    # A draft (or a returned one) goes straight back to the step the person stopped at.
    if application.is_editable:
        label = RenewalStep(application.step).label
        verb = "Continue" if application.status == ApplicationStatus.DRAFT else "Fix and resubmit"
        return Action(
            f"{verb} your renewal: {label}",
            reverse(
                "providers:renewal-step", kwargs={"pk": application.pk, "step": application.step}
            ),
        )
    return _reviewed_action(application, invoice)


def _renewal_missing(
    certification: Certification,
    application: RenewalApplication | None,
    invoice: Invoice | None,
    today: date,
) -> list[str]:
    progress = selectors.ce_progress(certification, today=today)
    missing = [
        f"{component.remaining:g} CE hours, {component.label.lower()}"
        for component in progress.components
        if component.remaining
    ]
    if application is None or not application.nremt_attested_at:
        missing.append("Step A: your national recertification at the NREMT")
    if application is None or application.status in (
        ApplicationStatus.DRAFT,
        ApplicationStatus.RETURNED,
    ):
        if application is None or not application.attested_at:
            missing.append("Your signed attestation")
        missing.append(f"The renewal fee (${current_fee(FeeCode.PROVIDER_RENEWAL, on=today)})")
    elif application.status in (ApplicationStatus.FEE_DUE, ApplicationStatus.ON_HOLD):
        owed = _balance(invoice)
        missing.append(f"The renewal fee (${owed} due)" if owed else "The renewal fee")
    elif application.status == ApplicationStatus.PAID:
        missing.append("Submitting the application (the fee is paid)")
    return missing


def _renewal_warning(application: RenewalApplication) -> str:
    if application.status == ApplicationStatus.ON_HOLD:
        return (
            "Your renewal is on hold: your payment was returned. Pay the balance and it "
            "continues where it was."
        )
    if application.status == ApplicationStatus.RETURNED:
        reasons = "; ".join(reason.label for reason in application.return_reasons.all())
        return (
            f"The office returned your renewal: {reasons}."
            if reasons
            else ("The office returned your renewal.")
        )
    return ""


def _certification_step(
    certification: Certification,
    *,
    application: RenewalApplication | None,
    last_decided: RenewalApplication | None,
    invoice: Invoice | None,
    today: date,
) -> CertificationStep:
    status = certification.status_on(today)
    step = CertificationStep(
        certification=certification, status_label=rules.CertificationStatus(status).label
    )
    window_open = rules.renewal_window_open(
        status=status, expiration=certification.expires_on, today=today
    )
    if application is not None:
        step.renew_by = rules.renew_by(certification.expires_on, today=today)
        step.missing = _renewal_missing(certification, application, invoice, today)
        step.action = _renewal_action(application, invoice)
        step.on_hold = application.status == ApplicationStatus.ON_HOLD
        step.warning = _renewal_warning(application)
        if step.action is None:
            step.note = f"Renewal {application.get_status_display().lower()}."
        return step
    if window_open:
        step.renew_by = rules.renew_by(certification.expires_on, today=today)
        step.missing = _renewal_missing(certification, None, None, today)
        step.action = Action(
            f"Renew {certification.number}",
            reverse("providers:renewal-start", kwargs={"number": certification.number}),
            post=True,
        )
    elif status in rules.REINSTATABLE_STATUSES:
        step.action = Action(
            f"Reinstate {certification.number}",
            reverse("providers:reinstatement-start", kwargs={"number": certification.number}),
        )
    elif status in rules.RENEWABLE_STATUSES:
        step.note = (
            f"Renewal opens on {rules.renewal_opens_on(certification.expires_on):%B %-d, %Y}."
        )
    if last_decided is not None and not step.action:
        verb = last_decided.get_status_display().lower()
        step.note = f"Last renewal {verb} on {_date(last_decided.decided_at):%B %-d, %Y}. " + (
            step.note
        )
    return step


def _credential_step(credential: Credential, *, today: date) -> CertificationStep:
    current = selectors.credential_renewal_current(credential)
    step = CertificationStep(
        certification=credential.underlying,
        status_label=f"Expires {credential.expires_on:%B %-d, %Y}",
        credential=credential,
        renewal=current,
    )
    if current is not None:
        step.note = f"Renewal {current.get_status_display().lower()}."
    elif rules.credential_window_open(expiration=credential.expires_on, today=today):
        step.renew_by = credential.deadline
        step.action = Action(
            f"Renew {credential}",
            reverse("providers:credential-renew", kwargs={"pk": credential.pk}),
            post=True,
        )
    else:
        step.note = (
            f"Renewal opens on {rules.credential_renewal_opens_on(credential.expires_on):%B %-d, %Y}."
            if today < credential.deadline
            else ""
        )
    return step


def _provider_rows(user, provider: Provider, today: date) -> tuple[list, list, list]:
    certifications = list(selectors.certifications_of(user))
    renewals = list(selectors.applications_of(user))
    initials = list(selectors.initial_applications_of(user))
    reinstatements = list(selectors.reinstatements_of(user))
    open_renewals = [a for a in renewals if a.status not in DECIDED_STATUSES]
    invoices = invoices_for_subjects(subjects=open_renewals)
    open_by_certification = {a.certification_id: a for a in open_renewals}
    decided_by_certification: dict[int, RenewalApplication] = {}
    for application in renewals:  # newest first
        if application.status in DECIDED_STATUSES:
            decided_by_certification.setdefault(application.certification_id, application)
    steps = [
        _certification_step(
            certification,
            application=open_by_certification.get(certification.pk),
            last_decided=decided_by_certification.get(certification.pk),
            invoice=invoices.get(
                str(getattr(open_by_certification.get(certification.pk), "pk", ""))
            ),
            today=today,
        )
        for certification in certifications
    ]
    credentials = [
        _credential_step(credential, today=today)
        for credential in Credential.objects.filter(provider=provider)
        .select_related("underlying")
        .prefetch_related("renewals")
    ]
    in_progress = (
        _reviewed_rows("Renewal", renewals, subject=_certification_subject, action=_renewal_action)
        + _reviewed_rows(
            "Reinstatement", reinstatements, subject=_certification_subject, action=_reviewed_action
        )
        + _initial_rows(initials)
        + _credential_rows(credentials)
    )
    return steps, credentials, in_progress


def _certification_subject(application) -> str:
    certification = application.certification
    return f"{certification.get_level_display()} {certification.number}"


def _reviewed_rows(kind: str, applications, *, subject, action) -> list[InProgress]:
    """The applications of one kind still in progress, each with its clock and next step."""
    waiting = [a for a in applications if a.status not in DECIDED_STATUSES]
    invoices = invoices_for_subjects(subjects=waiting)
    return [
        InProgress(
            kind=kind,
            subject=subject(application),
            status_label=application.get_status_display(),
            url=application.get_absolute_url(),
            clock=_reviewed_clock(application),
            action=action(application, invoices.get(str(application.pk))),
        )
        for application in waiting
    ]


def _initial_action(application: InitialApplication, invoice: Invoice | None) -> Action | None:
    if application.is_editable:
        url = reverse("providers:initial-edit", args=[application.pk])
        return Action("Continue the application", url)
    return _reviewed_action(application, invoice)


def _initial_rows(initials) -> list[InProgress]:
    return _reviewed_rows(
        "First certification",
        initials,
        subject=lambda application: application.get_level_display(),
        action=_initial_action,
    )


def _credential_rows(credentials: list[CertificationStep]) -> list[InProgress]:
    return [
        InProgress(
            kind="Credential renewal",
            subject=str(step.credential),
            status_label=step.renewal.get_status_display(),
            url=reverse("providers:home"),
            clock=Clock(since=_date(step.renewal.submitted_at)),
        )
        for step in credentials
        if step.renewal is not None and step.renewal.status in OPEN_CREDENTIAL_RENEWAL_STATUSES
    ]


_ORGANIZATION_DECIDED = {
    OrganizationApplicationStatus.APPROVED,
    OrganizationApplicationStatus.DENIED,
}
_FILING_DECIDED = {FilingStatus.APPROVED, FilingStatus.DENIED, FilingStatus.CERTIFIED}
_FILING_FORMS: dict[str, str] = {
    FilingForm.SHORT: "rates:short-form",
    FilingForm.LONG: "rates:long-form",
    FilingForm.NON_CHARGING: "rates:non-charging",
}


def _organization_rows(user) -> list[InProgress]:
    rows = []
    for application in (
        organization_applications_for(user=user)
        .exclude(status__in=_ORGANIZATION_DECIDED)
        .order_by("-created_at")
    ):
        who = (
            application.organization.legal_name
            if application.organization
            else application.legal_name
        )
        since = application.complete_at or application.submitted_at
        rows.append(
            InProgress(
                kind=application.get_kind_display(),
                subject=who or "New organization",
                status_label=application.get_status_display(),
                url=application.get_absolute_url(),
                reference=application.reference,
                clock=Clock(since=_date(since)) if since else None,
                action=(
                    Action("Continue the application", application.get_absolute_url())
                    if application.is_editable
                    else None
                ),
            )
        )
    for filing in filings_visible_to(user=user).exclude(status__in=_FILING_DECIDED):
        url = reverse("rates:filing-detail", kwargs={"pk": filing.pk})
        if filing.is_editable:  # back to its form, where the draft is kept
            url = reverse(
                _FILING_FORMS[filing.form], args=[filing.organization_id, filing.year.year]
            )
        rows.append(
            InProgress(
                kind=f"Rate filing {filing.year.year}",
                subject=f"{filing.organization.legal_name}, {filing.get_form_display()}",
                status_label=filing.get_status_display(),
                url=url,
                clock=Clock(since=_date(filing.submitted_at)) if filing.submitted_at else None,
                action=Action("Continue the filing", url) if filing.is_editable else None,
            )
        )
    return rows


def dashboard_for(*, user, today: date | None = None) -> Dashboard:
    """Everything the dashboard shows a signed-in person about their next steps."""
    today = today or timezone.localdate()
    provider = selectors.provider_of(user)
    dashboard = Dashboard(provider=provider)
    if provider is not None:
        dashboard.certifications, dashboard.credentials, dashboard.in_progress = _provider_rows(
            user, provider, today
        )
    else:
        dashboard.in_progress = _initial_rows(selectors.initial_applications_of(user))
    dashboard.in_progress += _organization_rows(user)
    return dashboard
