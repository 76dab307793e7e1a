// Compose builds the development Dockerfile of a folder of its own (`dockerfiles/django/Dockerfile-dev`): the
// Dockerfile beside it is the production image, and its command starts the app.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const compose = 'services:\n  django:\n    build:\n      context: .\n      dockerfile: ./dockerfiles/django/Dockerfile-dev\n    command: ["/start-dev.sh"]\n    ports:\n      - "8000:8000"\n';
const files = {
  'manage.py': '',
  'requirements.txt': 'Django==5.1\ngunicorn==23.0\n',
  'dockerfiles/django/Dockerfile-dev': 'FROM python:3.12\nCOPY . .\nCOPY dockerfiles/django/start-dev.sh /start-dev.sh\n',
  'dockerfiles/django/Dockerfile': 'FROM python:3.12\nCOPY . /code\nCMD ["/code/start-web.sh"]\n',
  'dockerfiles/django/start-web.sh': '#!/bin/sh\ngunicorn wsgi:application --bind 0.0.0.0:8000\n',
  'docker-compose.yml': compose,
};

describe('a development Dockerfile with its production sibling', () => {
  it('takes the production image beside it', () => {
    expect(analyzeRepository(snapshot(files)).startCommand).toBe('/code/start-web.sh');
  });

  it('stays with the built one when the folder holds no other image', () => {
    const { 'dockerfiles/django/Dockerfile': _p, ...dev } = files;
    expect(analyzeRepository(snapshot(dev)).startCommand).toBe('/start-dev.sh');
  });
});
