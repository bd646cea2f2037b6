"""What each role may do with vehicles and inspections (merged by accounts.roles)."""

from accounts import roles

_READ = [
    "vehicles.view_vehicle",
    "vehicles.view_inspection",
    "vehicles.view_inspectionanswer",
    "vehicles.view_checklistitem",
]

ROLE_PERMISSIONS = {
    roles.VEHICLE_INSPECTOR: [
        *_READ,
        "vehicles.record_inspection",
        "vehicles.schedule_inspection",
        "vehicles.add_inspection",
    ],
    roles.LICENSING_REVIEWER: [*_READ, "vehicles.approve_vehicle"],
    roles.SUPERVISOR: [
        *_READ,
        "vehicles.change_vehicle",
        "vehicles.approve_vehicle",
        "vehicles.add_inspection",
        "vehicles.schedule_inspection",
        "vehicles.record_inspection",
        "vehicles.record_any_inspection",
        "vehicles.add_checklistitem",
        "vehicles.change_checklistitem",
        "vehicles.delete_checklistitem",
    ],
}
