"""Onboarding: applications, agreements, checklists, training (built after partners)."""
