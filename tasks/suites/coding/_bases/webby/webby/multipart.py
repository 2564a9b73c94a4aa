"""multipart/form-data: HTML forms with file uploads.

    @app.post("/upload")
    def upload(request):
        form = parse_multipart(request)
        avatar = form.files["avatar"]          # an UploadedFile: filename, content_type, data
        caption = form.fields.get("caption")

Limits guard the server: the whole body is already capped by Request.MAX_BODY; here the number of
parts and the size of each file are capped too, and a filename is reduced to its last path
component, so "../../etc/passwd" cannot choose where it is saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .datastructures import MultiDict
from .errors import HTTPError

MAX_PARTS = 100
MAX_FILE_BYTES = 5 * 1024 * 1024
_PARAM = re.compile(r';\s*([A-Za-z0-9_*-]+)=("(?:[^"\\]|\\.)*"|[^;]*)')


@dataclass
class UploadedFile:
    name: str
    filename: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    def save(self, directory) -> str:
        from pathlib import Path
        path = Path(directory) / self.filename
        path.write_bytes(self.data)
        return str(path)


@dataclass
class MultipartForm:
    fields: MultiDict = field(default_factory=MultiDict)
    files: dict[str, UploadedFile] = field(default_factory=dict)


def header_params(value: str) -> tuple[str, dict[str, str]]:
    """`form-data; name="a"; filename="b.txt"` -> ("form-data", {"name": "a", "filename": "b.txt"})."""
    main, _, rest = value.partition(";")
    params = {}
    for key, raw in _PARAM.findall(";" + rest):
        raw = raw.strip()
        if raw.startswith('"'):
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        params[key.lower()] = raw
    return main.strip().lower(), params


def safe_filename(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = re.sub(r"[^A-Za-z0-9._ -]", "_", name).lstrip(".")
    return name or "upload"


def parse_multipart(request, max_parts: int = MAX_PARTS, max_file_bytes: int = MAX_FILE_BYTES) -> MultipartForm:
    ctype, params = header_params(request.content_type)
    if ctype != "multipart/form-data":
        raise HTTPError(415, "expected multipart/form-data")
    boundary = params.get("boundary")
    if not boundary or len(boundary) > 70:
        raise HTTPError(400, "multipart body without a valid boundary")
    return parse_body(request.body, boundary, max_parts, max_file_bytes)


def parse_body(body: bytes, boundary: str, max_parts: int = MAX_PARTS,
               max_file_bytes: int = MAX_FILE_BYTES) -> MultipartForm:
    delimiter = b"--" + boundary.encode("latin-1")
    chunks = body.split(delimiter)
    if len(chunks) < 3 or not chunks[-1].startswith(b"--"):
        raise HTTPError(400, "multipart body is not terminated")
    parts = chunks[1:-1]
    if len(parts) > max_parts:
        raise HTTPError(413, f"more than {max_parts} parts")
    form, pairs = MultipartForm(), []
    for part in parts:
        part = part[2:] if part.startswith(b"\r\n") else part
        head, sep, data = part.partition(b"\r\n\r\n")
        if not sep:
            raise HTTPError(400, "multipart part without headers")
        data = data[:-2] if data.endswith(b"\r\n") else data
        headers = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            key, _, value = line.partition(":")
            headers[key.strip().lower()] = value.strip()
        disposition, dparams = header_params(headers.get("content-disposition", ""))
        if disposition != "form-data" or "name" not in dparams:
            raise HTTPError(400, "multipart part without a form-data name")
        name = dparams["name"]
        if "filename" in dparams:
            if len(data) > max_file_bytes:
                raise HTTPError(413, f"file {dparams['filename']!r} is larger than {max_file_bytes} bytes")
            if dparams["filename"] == "":
                continue  # a file input left empty: browsers still send the part
            form.files[name] = UploadedFile(name, safe_filename(dparams["filename"]),
                                            headers.get("content-type", "application/octet-stream"), data)
        else:
            pairs.append((name, data.decode("utf-8", "replace")))
    form.fields = MultiDict(pairs)
    return form


def encode_multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]],
                     boundary: str = "webbyboundary7MA4YWxk") -> tuple[bytes, str]:
    """The body and Content-Type a browser would send: for tests and for clients."""
    out = []
    for name, value in fields.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data, ctype) in files.items():
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                   f"Content-Type: {ctype}\r\n\r\n".encode() + data + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"
