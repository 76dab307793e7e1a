// Python apps whose database is a file on local disk through an ORM or store the SQLAlchemy URL check misses:
// peewee's SqliteDatabase("app.db"), Tortoise ORM's `sqlite://db.sqlite3` (two slashes), TinyDB's JSON file.
// An in-memory SQLite database (`sqlite://:memory:`, `SqliteDatabase(":memory:")`, tests) is not a file.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const state = (requirements: string, code: string) => {
  const a = analyzeRepository(snapshot({ 'requirements.txt': requirements, 'app.py': code }));
  return (a.localState ?? []).map((s) => `${s.name} ${s.source}`);
};

describe('an embedded file database in Python code', () => {
  it("is peewee's SqliteDatabase", () => {
    expect(state('Flask==3.0.3\npeewee==3.17.5\n', 'from flask import Flask\nfrom peewee import SqliteDatabase\n\ndb = SqliteDatabase("notes.db")\napp = Flask(__name__)\n')).toEqual(['SQLite app.py:4']);
  });

  it("is Tortoise ORM's sqlite:// URL", () => {
    expect(state('fastapi==0.111.0\ntortoise-orm==0.21.3\n', 'from fastapi import FastAPI\nfrom tortoise.contrib.fastapi import register_tortoise\n\napp = FastAPI()\nregister_tortoise(app, db_url="sqlite://data/db.sqlite3", modules={"models": ["models"]})\n')).toEqual(['SQLite app.py:5']);
  });

  it("is TinyDB's JSON file", () => {
    expect(state('Flask==3.0.3\ntinydb==4.8.0\n', 'from flask import Flask\nfrom tinydb import TinyDB\n\ndb = TinyDB("db.json")\napp = Flask(__name__)\n')).toEqual(['a JSON file database (TinyDB) requirements.txt:2']);
  });

  it("is not peewee's in-memory SqliteDatabase", () => {
    expect(state('Flask==3.0.3\npeewee==3.17.5\n', 'from flask import Flask\nfrom peewee import SqliteDatabase\n\ndb = SqliteDatabase(":memory:")\napp = Flask(__name__)\n')).toEqual([]);
  });

  it('is not an in-memory SQLite URL', () => {
    expect(state('fastapi==0.111.0\ntortoise-orm==0.21.3\n', 'from fastapi import FastAPI\nfrom tortoise.contrib.fastapi import register_tortoise\n\napp = FastAPI()\nregister_tortoise(app, db_url="sqlite://:memory:", modules={"models": ["models"]})\n')).toEqual([]);
  });
});
