"""Reads the tracking table the way the Python Top Framework's web-top does.

The real top-framework package cannot be installed where the tests run (no
PyPI), so this stand-in follows its code: tasks are JSON decoded into the
fields of top.web.task.HTTPTask, times with datetime.fromisoformat in the
form Python 3.9 accepts, and the columns are computed as web_columns.py does,
including its assertion that a single-valued header never appears twice.
Standard library only: it speaks RESP to Redis itself.

Usage: python3 web_top_reader.py HOST PORT [KEY_PREFIX]
Prints {"active": {processor_id: columns}, "completed": [columns], "errors": [...]}.
"""

import datetime
import json
import re
import socket
import sys

# What datetime.fromisoformat accepts on Python 3.9 and 3.10 (no 'Z', 3 or 6 fraction digits).
PY39_ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6})?([+-]\d\d:\d\d)?$")

TYPES = {
    "task_id": (int, str), "task_name": (str,), "host_name": (str,), "process_id": (int,),
    "thread_id": (int,), "process_internal_id": (str,), "processor_name": (str,),
    "started_at": (str,), "updated_at": (str,), "ended_at": (str,), "recorded_successfully": (bool,),
    "tags": (dict,), "command_line": (list,), "protocol": (str,), "host": (str,), "method": (str,),
    "path": (str,), "params": (dict,), "uri": (str,), "client_ip_address": (str,),
    "request_headers": (list,), "status_code": (int,), "status_message": (str,), "response_headers": (list,),
}


def command(sock_file, *args):
    payload = b"*%d\r\n" % len(args)
    for arg in args:
        data = arg.encode()
        payload += b"$%d\r\n%s\r\n" % (len(data), data)
    sock_file.write(payload)
    sock_file.flush()
    return read_reply(sock_file)


def read_reply(sock_file):
    line = sock_file.readline().rstrip(b"\r\n")
    kind, rest = line[:1], line[1:]
    if kind == b"*":
        return [read_reply(sock_file) for _ in range(int(rest))]
    if kind == b"$":
        if int(rest) < 0:
            return None
        data = sock_file.read(int(rest) + 2)[:-2]
        return data.decode("utf-8")
    if kind == b"-":
        raise RuntimeError(rest.decode())
    return rest.decode()


def parse_time(value, field):
    if value is None:
        return None
    if not PY39_ISO.match(value):
        raise ValueError(f"{field}: {value!r} is not read by fromisoformat before Python 3.11")
    parsed = datetime.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"{field}: {value!r} has no zone; web-top subtracts it from an aware now()")
    return parsed


def single_header(headers, name):
    value = None
    for header, header_value in headers or []:
        if header.upper() == name.upper():
            assert not value, f"The header appears twice: {name}"
            value = header_value
    return value


def columns(blob):
    task = json.loads(blob)
    for field, value in task.items():
        if field in TYPES and value is not None:
            if isinstance(value, bool) and bool not in TYPES[field]:
                raise TypeError(f"{field}: a bool where {TYPES[field]} belongs")
            if not isinstance(value, TYPES[field]):
                raise TypeError(f"{field}: {type(value).__name__} where {TYPES[field]} belongs")
    for field in ("request_headers", "response_headers"):
        for pair in task.get(field) or []:
            if len(pair) != 2 or not all(isinstance(part, str) for part in pair):
                raise TypeError(f"{field}: {pair!r} is not a (name, value) pair")
    started = parse_time(task.get("started_at"), "started_at")
    parse_time(task.get("updated_at"), "updated_at")
    ended = parse_time(task.get("ended_at"), "ended_at")
    now = datetime.datetime.now(datetime.timezone.utc)
    request_headers = task.get("request_headers")
    forwarded = single_header(request_headers, "X-FORWARDED-FOR")
    length = single_header(task.get("response_headers"), "Content-length")
    single_header(request_headers, "HOST")
    return {
        "Cty": single_header(request_headers, "CF-IPCOUNTRY"),
        "IP": forwarded.split(",")[0].strip() if forwarded else task.get("client_ip_address"),
        "Method": task.get("method"),
        "Path": task.get("path"),
        "Worker": task.get("processor_name"),
        "Duration": ((ended or now) - started).total_seconds() if started else None,
        "Ago": (now - ended).total_seconds() if ended else None,
        "Resp": task.get("status_code"),
        "Length": int(length) if length else None,
        "User agent": single_header(request_headers, "USER-AGENT"),
    }


def main():
    host, port = sys.argv[1], int(sys.argv[2])
    prefix = sys.argv[3] if len(sys.argv) > 3 else ""
    with socket.create_connection((host, port), timeout=5) as sock:
        sock_file = sock.makefile("rwb")
        flat = command(sock_file, "HGETALL", prefix + "processors")
        past = command(sock_file, "LRANGE", prefix + "past_tasks", "0", "-1")
    result = {"active": {}, "completed": [], "errors": []}
    for field, blob in zip(flat[::2], flat[1::2]):
        try:
            result["active"][field] = columns(blob)
        except Exception as error:  # report every failure, as a reader user would see it
            result["errors"].append(f"processors[{field}]: {error}")
    for index, blob in enumerate(past):
        try:
            result["completed"].append(columns(blob))
        except Exception as error:
            result["errors"].append(f"past_tasks[{index}]: {error}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
