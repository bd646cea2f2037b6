"""Education pages: the public course catalogue and the training institution's courses."""

from core.routes import named, pages

from . import views

urlpatterns = pages(
    {
        "courses/": views.catalogue,
        "courses/<int:pk>/": views.course,
        "education/courses/": named("mine", views.my_courses),
        "education/courses/apply/": named("apply", views.course_apply),
    }
)
app_name = "education"  # the URL names' namespace: reverse("education:…")
