// A root Dockerfile with no command on a language toolchain image, or whose command only runs the test suite
// (`CMD ["./vendor/bin/phpunit"]`), is a CI/test image: the image compose builds the app from, else the docker
// folder's image that declares a command, runs the app.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const testImage = 'FROM python:3.11\nWORKDIR /app\nCOPY . /app/\nRUN pip install -e ".[tests]"\n';
const appImage = 'FROM python:3.11-slim\nWORKDIR /srv\nCOPY . .\nRUN pip install .\nCMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]\n';
const files = {
  'requirements.txt': 'flask==3.0.0\ngunicorn==22.0.0\n',
  'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
  Dockerfile: testImage,
  'docker/Dockerfile': appImage,
};

describe('root test image beside the docker folder image', () => {
  it('takes the command of the docker folder image when the root one declares none on a toolchain image', () => {
    const a = analyzeRepository(snapshot(files));
    expect(a.startCommand).toBe('gunicorn -b 0.0.0.0:8000 app:app');
    expect(a.evidence.find((e) => e.fact === `startCommand ${a.startCommand}`)?.source).toBe('docker/Dockerfile:5');
  });

  it('keeps the root image when it declares a command', () => {
    const a = analyzeRepository(snapshot({ ...files, Dockerfile: `${testImage}CMD ["flask", "run", "--host", "0.0.0.0"]\n` }));
    expect(a.startCommand).toBe('flask run --host 0.0.0.0');
  });

  it('keeps the root image when its base runs a server of its own (php:apache serves the copied app)', () => {
    const a = analyzeRepository(snapshot({ ...files, Dockerfile: 'FROM php:8.2-apache\nCOPY . /var/www/html/\n' }));
    expect(a.evidence.find((e) => e.fact === 'hasDockerfile')?.source).toBe('Dockerfile');
  });
});

describe('compose file beside the subfolder image', () => {
  const supervised = 'FROM python:3.11-slim\nRUN apt-get install -y nginx supervisor\nCOPY . /srv\nCMD ["/usr/bin/supervisord", "-c", "/srv/supervisor.conf"]\n';
  const rootCompose = 'services:\n  test:\n    build: .\n    command: make test\n  postgres:\n    image: postgres\n';
  const imageCompose = 'services:\n  app:\n    build:\n      context: .\n    ports:\n      - "8080:80"\n  postgres:\n    image: postgres\n';
  const base = { ...files, 'docker/Dockerfile': supervised, 'docker-compose.yml': rootCompose };

  it('gives the container port when the root compose only runs tests', () => {
    const a = analyzeRepository(snapshot({ ...base, 'docker/docker-compose.yml': imageCompose }));
    expect(a.port).toBe(80);
    expect(a.evidence.find((e) => e.fact === 'port 80')?.source).toBe('docker/docker-compose.yml:6');
  });

  it('leaves the framework default when no compose file runs the image', () => {
    const a = analyzeRepository(snapshot(base));
    expect(a.port).toBe(5000);
  });
});

const phpunitImage = 'FROM php:8.3-cli\nCOPY . /var/www/html\nWORKDIR /var/www/html\nCMD ["./vendor/bin/phpunit"]\n';
const apacheImage = 'FROM php:8.3-apache\nCOPY docker/entrypoint.sh /entrypoint\nENTRYPOINT ["/entrypoint"]\nCMD ["apache2-foreground"]\n';
const compose = "services:\n  db:\n    image: mariadb:11\n  web:\n    build:\n      context: .\n      dockerfile: docker/apache/Dockerfile\n    ports:\n      - '8080:80'\n    volumes:\n      - ./src:/var/www/html\n";
const phpFiles = {
  'composer.json': '{"require":{"php":">=8.2"}}',
  'src/index.php': '<?php echo "hi";\n',
  Dockerfile: phpunitImage,
  'docker/apache/Dockerfile': apacheImage,
  'docker-compose.yml': compose,
};

describe('root Dockerfile that runs the test suite', () => {
  it('gives way to the image compose builds the app from', () => {
    const a = analyzeRepository(snapshot(phpFiles));
    expect(a.startCommand).toBe('/entrypoint apache2-foreground');
    expect(a.kind).toBe('web');
  });

  it('keeps a root image that starts the app', () => {
    const a = analyzeRepository(snapshot({ ...phpFiles, Dockerfile: phpunitImage.replace('CMD ["./vendor/bin/phpunit"]', 'CMD ["php", "-S", "0.0.0.0:8000", "-t", "src"]') }));
    expect(a.startCommand).toBe('php -S 0.0.0.0:8000 -t src');
  });
});
