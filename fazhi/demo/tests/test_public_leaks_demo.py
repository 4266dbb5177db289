"""Every public URL over the demo county: no private value of any party, no unpublished case.

The walk itself is `tests.test_public_leaks.walk_public_site`: one URL of every public pattern
(over the small data set of that module it follows every link), and here, over the 742 cases of
the demo with their real names, ID numbers, phone numbers and addresses, every page of the
decision lists, every decision, every receipt and every page of the public decisions API. The
2,645 catalog item pages hold no case data and are left to the small walk.
"""

from __future__ import annotations

from fazhi.ledger import services as ledger_services
from tests.test_public_leaks import private_values, walk_public_site


def test_the_demo_county_leaks_nothing(demo_county):
    ledger_services.create_checkpoint()  # receipts are offered once a checkpoint covers them
    secrets = private_values()
    assert len(secrets) > 1000  # the walk searches for every party's values, not a sample
    result = walk_public_site(
        secrets,
        follow=lambda path: "/decisions" in path or path.startswith("/ledger/"),
        api_page=50,
    )
    assert sum("/enforcement/decisions/" in u for u in result.statuses) > 400
    assert not result.bad_statuses, result.bad_statuses
    assert not result.leaks, "\n".join(sorted(result.leaks))
