"""Applications, agreements, onboarding checklists, training and certification, announcements."""

from .applications import Application
from .onboarding import Agreement, AgreementTemplate, ChecklistStep, ChecklistTemplateStep
from .training import Announcement, Completion, Course

__all__ = [
    "Agreement",
    "AgreementTemplate",
    "Announcement",
    "Application",
    "ChecklistStep",
    "ChecklistTemplateStep",
    "Completion",
    "Course",
]
