from django.apps import AppConfig


class TestProcessorConfig(AppConfig):
    name = "test_processor"
    verbose_name = "Test payment processor"
