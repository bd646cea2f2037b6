"""The registry import: good file, bad rows (nothing imported, every bad row reported), re-run,
wrong encoding, missing columns; SSNs never in errors or logs."""

import logging

import pytest
from django.core.management import CommandError, call_command

from providers import services
from providers.models import Certification, Provider, RegistryImport
from providers.registry import RegistryImportRefused, registry_import

pytestmark = pytest.mark.django_db

HEADER = (
    "certification_number,level,first_name,last_name,date_of_birth,ssn,issued_on,expires_on,city\n"
)
GOOD = (
    HEADER
    + "E200001,EMT,Ann,Archer,1990-01-02,111-22-0001,2024-06-01,2026-06-01,Hartford\n"
    + "P200002,paramedic,Ann,Archer,1990-01-02,111-22-0001,2025-01-01,2026-01-01,Hartford\n"
    + "R200003,emr,Bo,Baker,03/04/1985,111220002,2024-01-01,2026-01-01,\n"
)


def _import(text, **kwargs):
    return registry_import(data=text.encode("utf-8"), file_name="registry.csv", **kwargs)


def test_a_good_file_loads_people_and_certifications_with_hashed_ssns():
    result = _import(GOOD)
    assert (result.rows, result.providers_created, result.certifications_created) == (3, 2, 3)
    ann = Provider.objects.get(last_name="Archer")
    assert ann.certifications.count() == 2
    assert ann.ssn_hmac == services.ssn_hash("111220001") and ann.ssn_last4 == "0001"
    assert (
        Certification.objects.get(number="R200003").provider.date_of_birth.isoformat()
        == "1985-03-04"
    )
    assert RegistryImport.objects.get().succeeded


def test_rerunning_updates_instead_of_duplicating():
    _import(GOOD)
    changed = GOOD.replace("2026-06-01,Hartford", "2028-06-01,New Haven").replace(
        "2026-01-01,Hartford", "2026-01-01,New Haven"
    )
    result = _import(changed)
    assert Provider.objects.count() == 2 and Certification.objects.count() == 3
    assert (result.certifications_created, result.certifications_updated, result.unchanged) == (
        0,
        1,
        2,
    )
    certification = Certification.objects.get(number="E200001")
    assert certification.expires_on.isoformat() == "2028-06-01"
    assert certification.provider.city == "New Haven"


def test_bad_rows_import_nothing_and_every_bad_row_is_reported(caplog):
    bad = (
        GOOD
        + "X12,emt,Cy,Cole,1990-01-01,111-22-0003,2024-01-01,2026-01-01,\n"  # line 5: number
        + "E200004,emt,Di,Dunn,1990-13-01,111-22-0004,2024-01-01,2026-01-01,\n"  # line 6: date
        + "E200005,chief,Ed,Eng,1990-01-01,123-45,2024-01-01,2026-01-01,\n"  # line 7: level, ssn
        + "A200006,emt,Fi,Fox,1990-01-01,111-22-0006,2024-01-01,2026-01-01,\n"  # line 8: prefix
        + "E200001,emt,Ann,Archer,1990-01-02,111-22-0001,2024-06-01,2026-06-01,\n"  # line 9: dup
        + "E200007,emt,Gil,Gray,1990-01-01,111-22-0007,2026-01-01,2024-01-01,\n"  # line 10: dates
    )
    with caplog.at_level(logging.DEBUG), pytest.raises(RegistryImportRefused) as refused:
        _import(bad)
    found = {(e.line, e.column) for e in refused.value.errors}
    assert found == {
        (5, "certification_number"),
        (6, "date_of_birth"),
        (7, "level"),
        (7, "ssn"),
        (8, "certification_number"),
        (9, "certification_number"),
        (10, "expires_on"),
    }
    assert Provider.objects.count() == 0 and Certification.objects.count() == 0
    everything = " ".join(str(e) for e in refused.value.errors) + caplog.text
    record = RegistryImport.objects.get()
    everything += record.errors
    for secret in ("123-45", "111-22-0003", "111220001", services.ssn_hash("111220001")):
        assert secret not in everything
    assert not record.succeeded and record.error_count == 7


def test_a_file_in_another_encoding_is_refused_clearly():
    data = GOOD.replace("Baker", "Bäker").encode("latin-1")
    with pytest.raises(RegistryImportRefused) as refused:
        registry_import(data=data, file_name="registry.csv")
    [error] = refused.value.errors
    assert error.line == 4 and "not UTF-8" in error.message
    assert Provider.objects.count() == 0


def test_missing_columns_are_named():
    with pytest.raises(RegistryImportRefused) as refused:
        _import("certification_number,level,first_name\nE200001,emt,Ann\n")
    [error] = refused.value.errors
    assert error.line == 1
    assert "ssn" in error.message and "date_of_birth" in error.message


def test_a_number_on_record_for_another_person_is_refused():
    _import(GOOD)
    other = GOOD.replace("111-22-0001", "999-88-7777")
    with pytest.raises(RegistryImportRefused) as refused:
        _import(other)
    assert {e.line for e in refused.value.errors} == {2, 3}


def test_the_command_reports_and_fails_on_bad_files(tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    call_command("import_registry", str(good))
    assert "Imported 3 rows" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "E1,emt,A,B,1990-01-01,111-22-0009,2024-01-01,2026-01-01,\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_registry", str(bad))
    err = capsys.readouterr().err
    assert "line 2, column certification_number" in err and "111-22-0009" not in err
    assert Certification.objects.count() == 3
