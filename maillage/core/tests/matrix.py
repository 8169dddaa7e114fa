"""The roles and status shorthands of the access matrix, shared by every app.

Each app that adds views declares their rows in `maillage/<app>/tests/access.py`:

    from maillage.core.tests.matrix import ALL_OK, MEMBERS_OK, roles

    def world(owner, base) -> dict:     # optional: records the rows need, owned by `owner`
        return {"sheet": SheetFactory(created_by=owner)}

    MATRIX = {"knowledge:sheet": (lambda w: {"pk": w["knowledge"]["sheet"].pk}, ALL_OK)}

`world(owner, base)` receives the base world (directory records, events…) and its result
is reachable as `w["<app label>"]`. `test_access_matrix.py` gathers every app's rows.
"""

import importlib

from django.apps import apps

ROLES = ["anonymous", "member", "owner", "facilitator", "admin"]
LOGIN = "LOGIN"


def roles(anonymous, member, owner, facilitator, admin) -> dict:
    return dict(zip(ROLES, [anonymous, member, owner, facilitator, admin], strict=True))


ALL_OK = dict.fromkeys(ROLES, 200)
MEMBERS_OK = roles(LOGIN, 200, 200, 200, 200)
FACILITATORS_OK = roles(LOGIN, 403, 403, 200, 200)
ADMINS_OK = roles(LOGIN, 403, 403, 403, 200)
OWNER_OK = roles(LOGIN, 403, 200, 200, 200)
POST_ONLY = roles(405, 405, 405, 405, 405)
MEMBERS_POST_ONLY = roles(LOGIN, 405, 405, 405, 405)
FACILITATORS_POST_ONLY = roles(LOGIN, 403, 403, 405, 405)
# allauth sends people who are already logged in away from the entrance pages.
ENTRANCE = roles(200, 302, 302, 302, 302)
ALL_REDIRECT = dict.fromkeys(ROLES, 302)


def app_access_modules():
    """The `tests/access.py` module of every Maillage app that has one."""
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("maillage."):
            continue
        try:
            modules.append((config.label, importlib.import_module(f"{config.name}.tests.access")))
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tests.access" and error.name != f"{config.name}.tests":
                raise
    return modules
