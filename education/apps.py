"""Education: training institutions apply for course approval, staff approve, approved courses
get a state (T3) approval number and make up the public course catalogue that CE records and
initial applications are checked against.

Its own app because training institutions and their courses are their own concern: a separate
kind of account, their own applications and a public catalogue, while providers/ is about
people and their certifications. It uses providers' rules (approval-number formats, CE
components and delivery) and credentials (Instructor/Coordinators), never restating them.
"""

from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "education"
    verbose_name = "Education (approved courses)"
