"""Why an image build failed, in one line a user can act on: a task whose Dockerfile fetches from a host this machine
does not reach, pulls from a registry it cannot, or pins a package the archive lacks cannot build here whatever pertask
does. Read from the build's whole output (the last lines are often only the engine's exit status)."""

from __future__ import annotations

import re

# (pattern, what it means); a pattern's first group is the host or package named.
HOSTS = [re.compile(p) for p in (
    r"Could not resolve host:? ([\w.-]+)",  # curl, git
    r"unable to resolve host address ['\"‘]?([\w.-]+)",  # wget
    r"Failed to connect to ([\w.-]+) port",
    r"unable to access 'https?://([^/':]+)",
    r"Could not fetch URL https?://([^/:]+)",  # pip
    r"Failed to establish a new connection.*?host='([\w.-]+)'",
    r"(?:dial tcp: lookup|no such host) ([\w.-]+\.[a-z]{2,})",
)]
# A lookup that failed without naming its host (Python's urllib, getaddrinfo): the hosts of the failing step's URLs.
UNRESOLVED = re.compile(r"Name or service not known|Temporary failure in name resolution|nodename nor servname")
STEP = re.compile(r'building at STEP "(.*)"')
REGISTRY = re.compile(r"(?:pinging container registry|initializing source docker://|"
                      r"trying to pull image|Error: .*?pull .*?)\s*([\w.-]+\.[\w.-]+)(?:/|:)", re.I)
APT_VERSION = re.compile(r"E: Version '([^']+)' for '([^']+)' was not found")
APT_MISSING = re.compile(r"E: Unable to locate package (\S+)|E: Package '?([^' ]+)'? has no installation candidate")


def cause(output: str) -> str:
    """'' when nothing in the output says why; else the first reason found, for the user."""
    if m := REGISTRY.search(output):
        return f"it pulls an image from {m.group(1)}, which this machine does not reach (an image registry)"
    hosts = sorted({m.group(1).strip(".'\"’") for p in HOSTS for m in p.finditer(output)})
    if not hosts and UNRESOLVED.search(output) and (step := STEP.search(output)):
        hosts = sorted(set(re.findall(r"https?://([\w.-]+)", step.group(1))))
    if hosts:
        return f"it fetches from {', '.join(hosts)}, which this machine does not reach"
    if m := APT_VERSION.search(output):
        return f"it pins {m.group(2)}={m.group(1)}, a version the base image's package archive does not have"
    if m := APT_MISSING.search(output):
        return f"it installs {m.group(1) or m.group(2)}, which the base image's package archive does not have"
    return ""
