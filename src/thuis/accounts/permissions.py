"""API permissions shared by every app's API views (the apps import them from here, not from
the api app above them)."""

from typing import Any

from rest_framework.permissions import BasePermission

from . import scope


class SeesPersonFiles(BasePermission):
    """Person and case endpoints are for regisseurs and teamleiders (scoped by selectors)."""

    message = "Uw rol geeft geen toegang tot persoonsdossiers."

    def has_permission(self, request: Any, view: Any) -> bool:
        return scope.sees_person_files(request.user)
