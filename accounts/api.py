"""The signed-in account, as the API sees it."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView


class MeApi(APIView):
    class OutputSerializer(serializers.Serializer):
        email = serializers.EmailField()
        full_name = serializers.CharField()
        roles = serializers.ListField(child=serializers.CharField())
        is_staff = serializers.BooleanField()

    @extend_schema(responses=OutputSerializer)
    def get(self, request):
        user = request.user
        data = {
            "email": user.email,
            "full_name": user.full_name,
            "roles": sorted(user.groups.values_list("name", flat=True)),
            "is_staff": user.is_staff,
        }
        return Response(self.OutputSerializer(data).data)
