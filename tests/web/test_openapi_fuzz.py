"""Schemathesis against our own `/openapi.json`: whatever a client sends to the API, signed in
as an officer or as the chairman, the answer is never a server error (5xx).

The schema is read from the running app; each generated request goes through a signed-in
browser of the `world` (a real Temporal dev server, worker and database behind it).
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.web.world import World

EXAMPLES = 25  # per operation and person


def api_schema(world: World):
    return schemathesis.openapi.from_dict(world.app_client().get("/openapi.json").json())


@pytest.mark.parametrize("username", ["cong-chuc-tp", "chu-tich"])
def test_no_request_to_the_api_gets_a_server_error(world: World, username: str) -> None:
    client = world.browser(username)
    schema = api_schema(world)
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the OpenAPI document lists no operation"

    for operation in operations:

        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def check(case):
            kwargs = case.as_transport_kwargs(base_url="")
            arguments = {k: v for k, v in kwargs.items() if k in REQUEST_ARGUMENTS and (v or k in ("method", "url"))}
            response = client.request(**arguments)
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}")

        check()

    assert failures == []
    assert statuses[200] and statuses[422], statuses  # signed in: requests reach the handlers


REQUEST_ARGUMENTS = {"method", "url", "params", "headers", "cookies", "json", "content", "data", "files"}
