"""Pages of the vehicles app.

Organization administrators: their fleet, registering a vehicle, a vehicle's inspections.
Vehicle inspectors (under /staff/, behind the second factor): today's inspections and the
field checklist, saved answer by answer (a small fetch() per answer when JavaScript runs; the
whole form posts when it does not).
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError, put_on_form
from organizations.selectors import organizations_administered_by

from . import selectors, services
from .admin import csv_response
from .forms import AnswerForm, DayForm, VehicleRegistrationForm
from .models import Inspection, InspectionAnswer, InspectionStatus, Vehicle, VehicleStatus
from .vin import normalize_vin

# --- organization administrators --------------------------------------------------------------


@login_required
def vehicle_list(request):
    organizations = organizations_administered_by(user=request.user)
    vehicles = selectors.vehicles_for_user(user=request.user)
    return render(
        request,
        "vehicles/vehicle_list.html",
        {
            "vehicles": vehicles,
            "has_organizations": organizations.exists(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def vehicle_register(request):
    organizations = organizations_administered_by(user=request.user)
    if not organizations.exists():
        raise Http404("You do not administer an organization.")
    form = VehicleRegistrationForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            vehicle = services.vehicle_register(actor=request.user, **data)
        except DomainError as error:
            repeat = _repeated_registration(request.user, data)
            if repeat is not None:  # a double submit: the first one registered it
                return redirect("vehicles:detail", pk=repeat.pk)
            put_on_form(form, error)
        else:
            messages.success(request, "The vehicle is registered and waits for OEMS approval.")
            return redirect("vehicles:detail", pk=vehicle.pk)
    return render(request, "vehicles/vehicle_register.html", {"form": form})


def _repeated_registration(user, data) -> Vehicle | None:
    return Vehicle.objects.filter(
        vin=normalize_vin(data["vin"]),
        organization=data["organization"],
        registered_by=user,
        status=VehicleStatus.PENDING,
        created_at__gte=timezone.now() - timedelta(minutes=10),
    ).first()


@login_required
def vehicle_detail(request, pk):
    try:
        vehicle = selectors.vehicle_detail(pk=pk)
    except Vehicle.DoesNotExist:
        raise Http404 from None
    if not selectors.user_can_view_vehicle(user=request.user, vehicle=vehicle):
        raise Http404  # not "forbidden": another organization's vehicles are not disclosed
    inspections = vehicle.inspections.all()
    deficiencies = selectors.deficiencies_by_inspection(inspections=inspections)
    for inspection in inspections:
        inspection.deficiency_list = deficiencies.get(inspection.pk, [])
    return render(
        request, "vehicles/vehicle_detail.html", {"vehicle": vehicle, "today": timezone.localdate()}
    )


# --- inspectors in the field (/staff/) --------------------------------------------------------


@login_required
@permission_required("vehicles.record_inspection", raise_exception=True)
def inspector_today(request):
    form = DayForm(request.GET or None)
    day = (form.is_valid() and form.cleaned_data["date"]) or timezone.localdate()
    inspections = selectors.inspections_for_inspector(inspector=request.user, day=day)
    return render(
        request,
        "vehicles/inspector_today.html",
        {"inspections": inspections, "day": day, "form": form, "today": timezone.localdate()},
    )


@login_required
@permission_required("vehicles.view_inspection", raise_exception=True)
def inspections_scheduled(request):
    form = DayForm(request.GET or None)
    start = (form.is_valid() and form.cleaned_data["date"]) or None
    inspections = selectors.inspections_scheduled(start=start)[: selectors.SCHEDULED_PAGE_LIMIT]
    if request.GET.get("format") == "csv":
        return csv_response(selectors.inspection_export_rows(inspections), "inspections.csv")
    return render(
        request,
        "vehicles/inspections_scheduled.html",
        {"inspections": inspections, "form": form},
    )


def _recordable_inspection(request, pk) -> Inspection:
    try:
        inspection = selectors.inspection_with_answers(pk=pk)
    except Inspection.DoesNotExist:
        raise Http404 from None
    if not selectors.user_can_record(user=request.user, inspection=inspection):
        raise Http404
    return inspection


@login_required
@permission_required("vehicles.record_inspection", raise_exception=True)
@require_http_methods(["GET", "POST"])
def inspection_record(request, pk):
    inspection = _recordable_inspection(request, pk)
    forms = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "start":
                services.inspection_start(inspection=inspection, actor=request.user)
                return redirect("vehicles:inspection-record", pk=pk)
            forms = _answer_forms(inspection, request)
            saved_ok = _save_filled_answers(forms, request.user)
            if action == "complete" and saved_ok:
                inspection = services.inspection_complete(inspection=inspection, actor=request.user)
                if inspection.status == InspectionStatus.FAILED:
                    messages.warning(
                        request,
                        f"Inspection recorded: FAILED. The vehicle {inspection.vehicle.plate} is "
                        "out of service until a re-inspection passes.",
                    )
                else:
                    messages.success(
                        request,
                        f"Inspection recorded: PASSED. Affix sticker {inspection.sticker_number}.",
                    )
                return redirect("vehicles:inspector-today")
            if saved_ok:
                messages.success(request, "Your answers are saved.")
                return redirect("vehicles:inspection-record", pk=pk)
            messages.error(request, "Some answers could not be saved; see the items marked below.")
        except DomainError as error:
            messages.error(request, error.message)
            if forms is None:
                return redirect("vehicles:inspection-record", pk=pk)
        inspection = selectors.inspection_with_answers(pk=pk)
        # Keep what was typed: re-bind the posted forms to the freshly read answers.
        forms = _answer_forms(inspection, request)
        for form in forms:
            form.is_valid()
    if forms is None:
        forms = _answer_forms(inspection, None)
    return render(
        request,
        "vehicles/inspection_record.html",
        {
            "inspection": inspection,
            "sections": _by_section(forms),
            "answered": sum(1 for form in forms if form.answer.result),
            "total": len(forms),
            "highlight_unanswered": request.method == "POST"
            and request.POST.get("action") == "complete",
        },
    )


def _answer_forms(inspection, request) -> list[AnswerForm]:
    answers = inspection.answers.all()
    if request is None:
        return [AnswerForm(answer=answer) for answer in answers]
    return [AnswerForm(request.POST, request.FILES, answer=answer) for answer in answers]


def _save_filled_answers(forms, actor) -> bool:
    """Save every line that was filled in and is valid; report whether all filled lines were."""
    all_ok = True
    for form in forms:
        if not form.was_filled():
            continue
        if not form.is_valid():
            all_ok = False
            continue
        answer = form.answer
        data = form.cleaned_data
        unchanged = (
            answer.result == data["result"] and answer.note == data["note"] and not data["photo"]
        )
        if not unchanged:
            services.inspection_answer(
                answer=answer,
                actor=actor,
                result=data["result"],
                note=data["note"],
                photo=data["photo"] or None,
            )
    return all_ok


def _by_section(forms):
    sections: dict[str, list] = {}
    for form in forms:
        sections.setdefault(form.answer.get_section_display(), []).append(form)
    return sections


@login_required
@permission_required("vehicles.record_inspection", raise_exception=True)
@require_POST
def inspection_answer_save(request, pk, answer_pk):
    """The endpoint the checklist's fetch() posts one line to; answers JSON."""
    inspection = _recordable_inspection(request, pk)
    try:
        answer = inspection.answers.get(pk=answer_pk)
    except InspectionAnswer.DoesNotExist:
        raise Http404 from None
    form = AnswerForm(request.POST, request.FILES, answer=answer)
    if not form.is_valid():
        errors = {name: " ".join(messages_) for name, messages_ in form.errors.items()}
        return JsonResponse({"saved": False, "errors": errors}, status=400)
    try:
        answer = services.inspection_answer(
            answer=answer,
            actor=request.user,
            result=form.cleaned_data["result"],
            note=form.cleaned_data["note"],
            photo=form.cleaned_data["photo"] or None,
        )
    except DomainError as error:
        return JsonResponse(
            {"saved": False, "errors": {error.field or "__all__": error.message}}, status=409
        )
    answered = inspection.answers.exclude(result="").count()
    return JsonResponse(
        {
            "saved": True,
            "result": answer.result,
            "photo": answer.photo.url if answer.photo else "",
            "answered": answered,
            "total": inspection.answers.count(),
            "detail_url": reverse("vehicles:inspection-record", kwargs={"pk": pk}),
        }
    )
