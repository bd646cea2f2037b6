"""Education pages: the public course catalogue and the training institution's courses."""

from django.urls import path

from . import views

app_name = "education"

urlpatterns = [
    path("courses/", views.catalogue, name="catalogue"),
    path("courses/<int:pk>/", views.course, name="course"),
    path("education/courses/", views.my_courses, name="mine"),
    path("education/courses/apply/", views.course_apply, name="apply"),
]
