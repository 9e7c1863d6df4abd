"""Reads a tracker endpoint the way the Python Top Framework's RESTAPITracker does.

top-framework cannot be installed where the tests run (no PyPI), so this
stand-in follows top/restapi/tracker.py: a requests.Session GET of the
endpoint with params api-key and action, and resp.json(). Each task is then
checked as top.web.task.HTTPTask would decode it: field types, and times as
datetime.fromisoformat accepts them on Python 3.9.

Usage: python3 rest_tracker_reader.py URL API_KEY
Prints {"active": {id: task}, "completed": [task], "errors": [...], "wrong_key_status": N}.
"""

import datetime
import json
import re
import sys

import requests

PY39_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6})?([+-]\d\d:\d\d)?$")
TYPES = {
    "task_id": (int, str), "task_name": (str,), "host_name": (str,), "process_id": (int,),
    "thread_id": (int,), "process_internal_id": (str,), "processor_name": (str,),
    "started_at": (str,), "updated_at": (str,), "ended_at": (str,), "recorded_successfully": (bool,),
    "tags": (dict,), "command_line": (list,), "protocol": (str,), "host": (str,), "method": (str,),
    "path": (str,), "params": (dict,), "uri": (str,), "client_ip_address": (str,),
    "request_headers": (list,), "status_code": (int,), "status_message": (str,), "response_headers": (list,),
}


def check(task, errors):
    for name, value in task.items():
        if value is None or name not in TYPES:
            continue
        if not isinstance(value, TYPES[name]):
            errors.append(f"{name} has type {type(value).__name__}")
        elif name.endswith("_at"):
            if not PY39_ISO.match(value):
                errors.append(f"{name} {value} is not ISO 8601 as Python 3.9 reads it")
            else:
                datetime.datetime.fromisoformat(value)
    return task


def main():
    url, api_key = sys.argv[1], sys.argv[2]
    session = requests.Session()
    errors = []
    active = session.get(url, params={"api-key": api_key, "action": "active-tasks"}).json()
    completed = session.get(url, params={"api-key": api_key, "action": "completed-tasks"}).json()
    wrong = session.get(url, params={"api-key": api_key[:-1] + "#", "action": "active-tasks"})
    print(json.dumps({
        "active": {key: check(task, errors) for key, task in active.items()},
        "completed": [check(task, errors) for task in completed],
        "errors": errors,
        "wrong_key_status": wrong.status_code,
    }))


if __name__ == "__main__":
    main()
