from core.routes import named, pages

from . import api

urlpatterns = pages({"me/": named("api-me", api.MeApi)})
