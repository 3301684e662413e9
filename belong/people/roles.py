"""The roles of DESIGN.md as Django groups. Per-object roles (a collective's leaders) live with
their objects; these are the organisation-wide ones."""

from django.utils.translation import gettext_lazy as _

FACILITATOR = "Facilitator"
TRAINING_COORDINATOR = "Training coordinator"
MENTORSHIP_COORDINATOR = "Mentorship coordinator"
DEI_ADMINISTRATOR = "DEI administrator"
ANALYST = "Analyst"

ROLES = {
    FACILITATOR: _("Facilitator"),
    TRAINING_COORDINATOR: _("Training coordinator"),
    MENTORSHIP_COORDINATOR: _("Mentorship coordinator"),
    DEI_ADMINISTRATOR: _("DEI administrator"),
    ANALYST: _("Analyst or leadership"),
}
