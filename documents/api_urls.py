from core.routes import named, pages

from . import api

urlpatterns = pages(
    {
        "documents/<slug:kind>/request/": named("api-document-request", api.DocumentRequestApi),
        "documents/jobs/<uuid:pk>/": named("api-document-job", api.DocumentJobDetailApi),
    }
)
