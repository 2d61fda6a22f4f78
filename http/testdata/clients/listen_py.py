"""Runs a plan of Listen API calls through the official Python client (PyPI podcast-api).

Usage: python listen_py.py PLAN.json > RESULTS.json

The plan names each call by its operationId; the client's own contract
(listennotes/api-contract.json) gives the method, as a user's code would call it.
Each result has the status, the JSON body and the headers, or the client's error.
"""

import json
import os
import sys

from listennotes import errors, podcast_api


def main():
    with open(sys.argv[1]) as f:
        plan = json.load(f)
    contract_path = os.path.join(os.path.dirname(podcast_api.__file__), "api-contract.json")
    with open(contract_path) as f:
        funcs = {op["operationId"]: op["func"] for op in json.load(f)["operations"]}

    client = podcast_api.Client(api_key=plan["key"], max_retries=0)
    client.api_base = plan["base"]
    results = []
    for call in plan["calls"]:
        result = {"name": call["name"]}
        func = funcs.get(call["op"])
        if func is None:
            result["error"] = "NoSuchOperation"
            results.append(result)
            continue
        try:
            r = getattr(client, func)(**call["args"])
            result.update(status=r.status_code, data=r.json(), headers=dict(r.headers))
        except errors.ListenApiError as e:
            result["error"] = type(e).__name__
            if e.response is not None:
                result["status"] = e.response.status_code
        results.append(result)
    json.dump({"client": "python podcast-api", "operations": len(funcs), "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
