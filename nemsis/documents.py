"""The NEMSIS State Dataset as a document kind: prepared in the background like the PDFs, with
progress, and reused until the data in it changes (``selectors.state_dataset_fingerprint``)."""

from documents.registry import DocumentSpec, anyone

from . import selectors
from .state_dataset import build_state_dataset

STATE_DATASET_KIND = "nemsis-state-dataset"


def _render(params, on_progress):
    return build_state_dataset(on_progress=on_progress)


DOCUMENTS = {
    STATE_DATASET_KIND: DocumentSpec(
        title="NEMSIS v3.5.1 State Dataset (XML)",
        description="The state's NEMSIS State Dataset for ePCR software: licensed agencies, "
        "hospitals with their designations, certification levels and scope of practice.",
        template="",
        build_context=lambda params: {},
        fingerprint=lambda params: selectors.state_dataset_fingerprint(),
        # Public: everything in it is already published (directory, hospitals, scope).
        can_request=anyone,
        listed=True,
        nightly=lambda: [{}],
        render=_render,
        file_extension="xml",
        content_type="application/xml",
    ),
}
