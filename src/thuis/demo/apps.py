from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "thuis.demo"
    label = "demo"
    verbose_name = "Demo"

    def ready(self) -> None:
        # duo sits below the demo: the demo registers its source, duo never imports the demo.
        from thuis.duo.simulator import register_demo_source

        from .duo import demo_person

        register_demo_source(demo_person)
