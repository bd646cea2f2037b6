"""API routes of hospitals, awards and publications, mounted under /api/v1/."""

from core.routes import named, pages

from . import api

urlpatterns = pages(
    {
        "stroke-centers/": named("api-stroke-centers", api.StrokeCenterListApi),
        "trauma-centers/": named("api-trauma-centers", api.TraumaCenterListApi),
        "award-recipients/": named("api-award-recipients", api.AwardRecipientListApi),
        "publications/": named("api-publications", api.PublicationListApi),
    }
)
