"""The label and festival dossier routes."""

from __future__ import annotations

from resolvers.festival import address_festival
from resolvers.label import address_label
from rest_compat.dossier import dossier_route

__all__ = ["FESTIVAL_ROUTES", "LABEL_ROUTES"]

_LABEL_KEY = "A 64-hex label_id or the label's slug (warp-records)"
LABEL_ROUTES = [
    dossier_route("label", "/api/v2/label/{key}", "getLabel",
                  "The label dossier by 64-hex label_id or slug; ?fields= trims it", address_label, _LABEL_KEY),
    dossier_route("label", "/api/v2/dossier/label/{key}", "getLabelDossier",
                  "The label dossier by slug (a label_id works too); ?fields= trims it", address_label, _LABEL_KEY),
]  # fmt: skip

FESTIVAL_ROUTES = [
    dossier_route("festival", "/api/v2/dossier/festival/{key}", "getFestivalDossier",
                  "The festival dossier by the slug of its name or of any raw name it was filed under",
                  address_festival, "The festival's slug (of its name or of any name it was filed under)"),
]  # fmt: skip
