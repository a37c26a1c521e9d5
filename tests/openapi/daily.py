"""A client generated from /openapi.json (scripts/fuzz-api), used as an integrator would:
log in as the demo admin and read yesterday's daily reconciliation. No hand edits to the
generated code; any mismatch between the document and the server fails here."""

import sys

from parkir_client import AuthenticatedClient, Client
from parkir_client.api.auth import login_staff
from parkir_client.api.reconciliation import get_daily_reconciliation
from parkir_client.api.registry import list_zones
from parkir_client.models import Problem, Report, StaffLogin, TokenResponse

base = sys.argv[1]

token = login_staff.sync(
    client=Client(base_url=base, raise_on_unexpected_status=True),
    body=StaffLogin(username="admin", password="jambi-demo-2026"),
)
assert isinstance(token, TokenResponse), token
api = AuthenticatedClient(base_url=base, token=token.access_token, raise_on_unexpected_status=True)

zones = list_zones.sync(client=api)
report = get_daily_reconciliation.sync(client=api, zone_id=zones.items[0].id)
assert isinstance(report, Report), report
assert report.rows, "the demo's yesterday has rows"
gross = sum(row.gross for row in report.rows)
assert gross == report.totals.gross, (gross, report.totals.gross)
print(
    f"client: {report.date} zone {zones.items[0].code}: {len(report.rows)} attendants, "
    f"gross Rp{report.totals.gross:,}, city share Rp{report.totals.city_share:,}"
)

refused = get_daily_reconciliation.sync(client=api, zone_id=999999)
assert isinstance(refused, Problem) and refused.status == 404, refused
print(f"client: an unknown zone is a typed problem: {refused.status} {refused.detail}")
