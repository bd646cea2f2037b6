"""Pages: organization administrators' fleet and registration, inspectors' field checklist.
Permissions are checked per object."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from vehicles import services
from vehicles.models import AnswerResult, Inspection, InspectionStatus, Vehicle, VehicleStatus

from .factories import OrganizationFactory, VehicleFactory

pytestmark = pytest.mark.django_db


# --- organization administrators --------------------------------------------------------------


def test_fleet_list_shows_only_the_administrators_vehicles_in_fixed_queries(
    client, org_admin, organization, django_assert_max_num_queries
):
    mine = VehicleFactory.create_batch(3, organization=organization)
    theirs = VehicleFactory(organization=OrganizationFactory())
    client.force_login(org_admin)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("vehicles:list"))
    body = response.content.decode()
    assert all(vehicle.vin in body for vehicle in mine)
    assert theirs.vin not in body
    VehicleFactory.create_batch(10, organization=organization)
    with django_assert_max_num_queries(8):
        client.get(reverse("vehicles:list"))


def test_another_organizations_vehicle_is_not_found(client, org_admin):
    other = VehicleFactory(organization=OrganizationFactory())
    client.force_login(org_admin)
    assert client.get(reverse("vehicles:detail", args=[other.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, vehicle):
    response = client.get(reverse("vehicles:detail", args=[vehicle.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_vehicle_page_shows_the_failed_result_and_its_deficiencies(
    client, org_admin, vehicle, inspector, supervisor, checklist
):
    inspection = services.inspection_schedule(
        vehicle=vehicle, scheduled_for=timezone.localdate(), inspector=inspector, actor=supervisor
    )
    services.inspection_start(inspection=inspection, actor=inspector)
    for index, answer in enumerate(inspection.answers.order_by("pk")):
        services.inspection_answer(
            answer=answer,
            actor=inspector,
            result="fail" if index == 0 else "pass",
            note="Mask cracked" if index == 0 else "",
        )
    services.inspection_complete(inspection=inspection, actor=inspector)
    client.force_login(org_admin)
    body = client.get(reverse("vehicles:detail", args=[vehicle.pk])).content.decode()
    assert "Out of service" in body
    assert "Mask cracked" in body
    assert "re-inspection" in body


def registration(organization, **overrides):
    data = {
        "organization": organization.pk,
        "vin": "1M8GDM9AXKP042788",
        "make": "Ford",
        "model": "F-450",
        "year": "2024",
        "plate": "AMB9",
        "vehicle_type": "als_ambulance",
        "service_level": "paramedic",
    }
    data.update(overrides)
    return data


def test_register_a_vehicle(client, org_admin, organization):
    client.force_login(org_admin)
    assert client.get(reverse("vehicles:register")).status_code == 200
    response = client.post(reverse("vehicles:register"), registration(organization))
    vehicle = Vehicle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("vehicles:detail", args=[vehicle.pk])
    assert vehicle.status == VehicleStatus.PENDING
    assert vehicle.registered_by == org_admin


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("vin", "1M8GDM9A0KP042788", "check digit"),
        ("vin", "1M8GDM9AXKP04278O", "except I, O and Q"),
        ("year", str(timezone.localdate().year + 3), "cannot be later than"),
    ],
)
def test_bad_registration_says_why_beside_the_field_and_keeps_the_input(
    client, org_admin, organization, field, value, message
):
    client.force_login(org_admin)
    response = client.post(
        reverse("vehicles:register"), registration(organization, **{field: value})
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    body = response.content.decode()
    assert f'id="id_{field}-error"' in body  # rendered beside the field
    assert 'value="F-450"' in body  # what was typed is kept
    assert not Vehicle.objects.exists()


def test_a_duplicate_vin_from_another_organization_is_refused(client, org_admin, organization):
    VehicleFactory(vin="1M8GDM9AXKP042788", organization=OrganizationFactory())
    client.force_login(org_admin)
    response = client.post(reverse("vehicles:register"), registration(organization))
    assert "already registered" in " ".join(response.context["form"].errors["vin"])
    assert Vehicle.objects.count() == 1


def test_a_double_submit_registers_once(client, org_admin, organization):
    client.force_login(org_admin)
    first = client.post(reverse("vehicles:register"), registration(organization))
    second = client.post(reverse("vehicles:register"), registration(organization))
    assert Vehicle.objects.count() == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"]


def test_cannot_register_for_an_organization_one_does_not_administer(
    client, org_admin, organization
):
    other = OrganizationFactory()
    client.force_login(org_admin)
    response = client.post(reverse("vehicles:register"), registration(other))
    assert "organization" in response.context["form"].errors
    assert not Vehicle.objects.exists()


def test_a_user_without_an_organization_cannot_open_the_registration(client, make_user):
    client.force_login(make_user(role="provider"))
    assert client.get(reverse("vehicles:register")).status_code == 404


# --- inspectors ---------------------------------------------------------------------------------


@pytest.fixture
def booked(vehicle, inspector, supervisor, checklist):
    return services.inspection_schedule(
        vehicle=vehicle, scheduled_for=timezone.localdate(), inspector=inspector, actor=supervisor
    )


def test_todays_list_shows_only_the_inspectors_own(
    staff_client, booked, inspector, other_inspector, supervisor
):
    theirs = services.inspection_schedule(
        vehicle=VehicleFactory(),
        scheduled_for=timezone.localdate(),
        inspector=other_inspector,
        actor=supervisor,
    )
    client = staff_client(user=inspector)
    body = client.get(reverse("vehicles:inspector-today")).content.decode()
    assert booked.vehicle.plate in body
    assert theirs.vehicle.plate not in body


def test_another_inspectors_checklist_is_not_found(staff_client, booked, other_inspector):
    client = staff_client(user=other_inspector)
    assert client.get(reverse("vehicles:inspection-record", args=[booked.pk])).status_code == 404
    response = client.post(
        reverse("vehicles:inspection-record", args=[booked.pk]), {"action": "start"}
    )
    assert response.status_code == 404
    assert Inspection.objects.get().status == InspectionStatus.SCHEDULED


def test_organization_administrators_cannot_reach_the_field_pages(client, org_admin, booked):
    client.force_login(org_admin)
    assert client.get(reverse("vehicles:inspector-today")).status_code == 403
    assert client.get(reverse("vehicles:inspection-record", args=[booked.pk])).status_code == 403


def test_staff_without_the_second_factor_are_sent_to_sign_in(client, inspector):
    client.force_login(inspector)
    response = client.get(reverse("vehicles:inspector-today"))
    assert response.status_code == 302


def answers_post(inspection, action, *, fail_first=False, skip_last=False):
    data = {"action": action}
    answers = list(inspection.answers.order_by("pk"))
    if skip_last:
        answers = answers[:-1]
    for index, answer in enumerate(answers):
        failing = fail_first and index == 0
        data[f"a{answer.pk}-result"] = "fail" if failing else "pass"
        data[f"a{answer.pk}-note"] = "Oxygen below half" if failing else ""
    for answer in inspection.answers.all():
        data.setdefault(f"a{answer.pk}-note", "")
        data[f"a{answer.pk}-photo"] = ""  # browsers post an empty file input as an empty field
    return data


def test_without_javascript_the_checklist_saves_and_completes(staff_client, booked, inspector):
    client = staff_client(user=inspector)
    url = reverse("vehicles:inspection-record", args=[booked.pk])
    assert "Start inspection" in client.get(url).content.decode()
    client.post(url, {"action": "start"})
    booked.refresh_from_db()
    assert booked.status == InspectionStatus.IN_PROGRESS

    # A partial save keeps what was answered.
    response = client.post(url, answers_post(booked, "save", skip_last=True))
    assert response.status_code == 302
    assert booked.answers.exclude(result="").count() == booked.answers.count() - 1

    # Completing with an item unanswered: a clear message, the item flagged, nothing recorded.
    response = client.post(url, answers_post(booked, "complete", skip_last=True))
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 checklist item is not answered" in body
    assert "Answer this item." in body
    booked.refresh_from_db()
    assert booked.status == InspectionStatus.IN_PROGRESS

    response = client.post(url, answers_post(booked, "complete", fail_first=True))
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == InspectionStatus.FAILED
    assert booked.vehicle.status == VehicleStatus.OUT_OF_SERVICE

    # Recorded twice: refused with a message, nothing changes.
    response = client.post(url, answers_post(booked, "complete"), follow=True)
    assert "already recorded as failed" in response.content.decode()
    assert booked.answers.filter(result=AnswerResult.FAIL).count() == 1


def test_the_answer_endpoint_saves_one_item(staff_client, booked, inspector):
    client = staff_client(user=inspector)
    services.inspection_start(inspection=booked, actor=inspector)
    answer = booked.answers.first()
    url = reverse("vehicles:inspection-answer", args=[booked.pk, answer.pk])

    response = client.post(url, {f"a{answer.pk}-result": "fail", f"a{answer.pk}-note": "Dented"})
    assert response.status_code == 200
    assert response.json()["saved"] is True
    assert response.json()["answered"] == 1
    answer.refresh_from_db()
    assert (answer.result, answer.note, answer.answered_by) == ("fail", "Dented", inspector)

    response = client.post(url, {f"a{answer.pk}-result": "perhaps"})
    assert response.status_code == 400
    assert "result" in response.json()["errors"]


def test_the_answer_endpoint_takes_a_photo(staff_client, booked, inspector, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    client = staff_client(user=inspector)
    services.inspection_start(inspection=booked, actor=inspector)
    answer = booked.answers.first()
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    photo = SimpleUploadedFile("dent.png", buffer.getvalue(), content_type="image/png")
    response = client.post(
        reverse("vehicles:inspection-answer", args=[booked.pk, answer.pk]),
        {
            f"a{answer.pk}-result": "fail",
            f"a{answer.pk}-note": "Dent",
            f"a{answer.pk}-photo": photo,
        },
    )
    assert response.status_code == 200
    answer.refresh_from_db()
    assert answer.photo.name.endswith(".png")

    not_an_image = SimpleUploadedFile("notes.png", b"plain text", content_type="image/png")
    response = client.post(
        reverse("vehicles:inspection-answer", args=[booked.pk, answer.pk]),
        {f"a{answer.pk}-result": "fail", f"a{answer.pk}-photo": not_an_image},
    )
    assert response.status_code == 400
    assert "photo" in response.json()["errors"]


def test_the_answer_endpoint_refuses_after_the_inspection_is_recorded(
    staff_client, booked, inspector
):
    client = staff_client(user=inspector)
    services.inspection_start(inspection=booked, actor=inspector)
    for answer in booked.answers.all():
        services.inspection_answer(answer=answer, actor=inspector, result="pass")
    services.inspection_complete(inspection=booked, actor=inspector)
    answer = booked.answers.first()
    response = client.post(
        reverse("vehicles:inspection-answer", args=[booked.pk, answer.pk]),
        {f"a{answer.pk}-result": "fail", f"a{answer.pk}-note": "late"},
    )
    assert response.status_code == 409
    assert "already recorded" in response.json()["errors"]["__all__"]


def test_scheduled_list_and_csv(staff_client, booked, supervisor, django_assert_max_num_queries):
    client = staff_client(user=supervisor)
    response = client.get(reverse("vehicles:scheduled"))
    assert booked.vehicle.plate in response.content.decode()
    response = client.get(reverse("vehicles:scheduled") + "?format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "Scheduled for"
    assert rows[1][5] == booked.vehicle.vin
