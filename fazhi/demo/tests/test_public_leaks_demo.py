"""Every public URL over the demo county: no private value of any party, no unpublished case.

The walk itself is `tests.test_public_leaks.walk_public_site` (every portal and public API URL,
every page, every decision, every receipt, followed link by link); here it runs over the 742
cases of the demo, with their real names, ID numbers, phone numbers and addresses.
"""

from __future__ import annotations

from fazhi.ledger import services as ledger_services
from tests.test_public_leaks import private_values, walk_public_site


def test_the_demo_county_leaks_nothing(demo_county):
    ledger_services.create_checkpoint()  # receipts are offered once a checkpoint covers them
    secrets = private_values()
    assert len(secrets) > 1000  # the walk searches for every party's values, not a sample
    result = walk_public_site(secrets)
    assert not result.bad_statuses, result.bad_statuses
    assert not result.leaks, "\n".join(sorted(result.leaks))
