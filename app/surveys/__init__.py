"""The surveys feature: registers its blueprint and commands on the app."""


def init_app(app) -> None:
    pass
