"""A small notes API: enough surface (routes, validation, health check) to deploy for real."""

import os
from itertools import count
from threading import Lock

from flask import Flask, abort, jsonify, request
from pydantic import BaseModel, Field, ValidationError

app = Flask(__name__)

_notes: dict[int, dict] = {}
_ids = count(1)
_lock = Lock()


class NoteIn(BaseModel):
    title: str = Field(min_length=1, max_length=120)
    body: str = Field(default="", max_length=10_000)


@app.get("/")
def index():
    return jsonify(service="flask-app", version=os.environ.get("APP_VERSION", "dev"))


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")


@app.get("/notes")
def list_notes():
    with _lock:
        return jsonify(sorted(_notes.values(), key=lambda n: n["id"]))


@app.post("/notes")
def create_note():
    try:
        note = NoteIn.model_validate(request.get_json(force=True, silent=True) or {})
    except ValidationError as err:
        return jsonify(errors=err.errors(include_url=False)), 422
    with _lock:
        note_id = next(_ids)
        _notes[note_id] = {"id": note_id, **note.model_dump()}
        return jsonify(_notes[note_id]), 201


@app.get("/notes/<int:note_id>")
def get_note(note_id: int):
    with _lock:
        note = _notes.get(note_id)
    if note is None:
        abort(404)
    return jsonify(note)


if __name__ == "__main__":
    # Local development only; the container runs gunicorn (see Dockerfile).
    app.run(host="127.0.0.1", port=8000, debug=True)
