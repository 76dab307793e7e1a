// A root Dockerfile whose command only runs the test suite (`CMD ["./vendor/bin/phpunit"]`) is a test image: the
// image compose builds the app from (or the one docker-folder image with a command) runs the app.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import type { RepoSnapshot } from '../function/src/types.js';

const snapshot = (files: Record<string, string>): RepoSnapshot => ({ files: new Map(Object.entries(files)) });

const testImage = 'FROM php:8.3-cli\nCOPY . /var/www/html\nWORKDIR /var/www/html\nCMD ["./vendor/bin/phpunit"]\n';
const apacheImage = 'FROM php:8.3-apache\nCOPY docker/entrypoint.sh /entrypoint\nENTRYPOINT ["/entrypoint"]\nCMD ["apache2-foreground"]\n';
const compose = "services:\n  db:\n    image: mariadb:11\n  web:\n    build:\n      context: .\n      dockerfile: docker/apache/Dockerfile\n    ports:\n      - '8080:80'\n    volumes:\n      - ./src:/var/www/html\n";
const files = {
  'composer.json': '{"require":{"php":">=8.2"}}',
  'src/index.php': '<?php echo "hi";\n',
  Dockerfile: testImage,
  'docker/apache/Dockerfile': apacheImage,
  'docker-compose.yml': compose,
};

describe('root Dockerfile that runs the test suite', () => {
  it('gives way to the image compose builds the app from', () => {
    const a = analyzeRepository(snapshot(files));
    expect(a.startCommand).toBe('/entrypoint apache2-foreground');
    expect(a.kind).toBe('web');
  });

  it('keeps a root image that starts the app', () => {
    const a = analyzeRepository(snapshot({ ...files, Dockerfile: testImage.replace('CMD ["./vendor/bin/phpunit"]', 'CMD ["php", "-S", "0.0.0.0:8000", "-t", "src"]') }));
    expect(a.startCommand).toBe('php -S 0.0.0.0:8000 -t src');
  });
});
