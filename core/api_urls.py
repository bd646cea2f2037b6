from core.routes import named, pages

from . import api

urlpatterns = pages({"news/": named("api-news-list", api.NewsListApi)})
