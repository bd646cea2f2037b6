"""Public read-only API of the office's news."""

from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from . import selectors
from .models import News


class NewsListApi(generics.ListAPIView):
    permission_classes = [AllowAny]

    class OutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = News
            fields = ["title", "slug", "summary", "body", "published_at"]

    serializer_class = OutputSerializer

    def get_queryset(self):
        return selectors.news_list()
