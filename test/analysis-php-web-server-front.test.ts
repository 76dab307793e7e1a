// Round 14: a PHP app whose own image only runs php-fpm (its front controller in a folder of its own, `upload/index.php`)
// behind a compose web server that depends on it (Apache built from its config, or a pulled nginx): it serves HTTP
// through that server, it is no worker.
// Synthetic in-memory repositories; the rule fails without its code.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const front = (server: string) => `services:\n${server}    depends_on:\n      - php\n  php:\n    build:\n      context: .\n      dockerfile: docker/php/Dockerfile\n    ports:\n      - "9000:9000"\n  mysql:\n    image: mariadb\n`;
const app = {
  'composer.json': '{"name":"shop/shop","type":"project","require":{"php":">=8.0","twig/twig":"^3.0"}}',
  'upload/index.php': '<?php\nrequire_once(DIR_SYSTEM . "startup.php");\n',
  'docker/php/Dockerfile': 'FROM php:8.4-fpm\nCOPY docker/php/supervisord.conf /etc/supervisor/supervisord.conf\nCMD ["supervisord", "-c", "/etc/supervisor/supervisord.conf"]\n',
  'docker/apache/Dockerfile': 'FROM httpd:2.4-alpine\nCOPY docker/apache/conf/httpd.conf /usr/local/apache2/conf/httpd.conf\nEXPOSE 80\n',
};

describe('a PHP app behind a compose web server', () => {
  it('serves HTTP through Apache built from its configuration', () => {
    const a = analyzeRepository(snapshot({ ...app, 'docker-compose.yml': front('  apache:\n    build:\n      context: .\n      dockerfile: docker/apache/Dockerfile\n    ports:\n      - "80:80"\n') }));
    expect(a.kind).toBe('web');
    expect(a.port).toBe(9000);
  });

  it('…or through a pulled nginx', () => {
    const a = analyzeRepository(snapshot({ ...app, 'docker-compose.yml': front('  web:\n    image: nginx:alpine\n    ports:\n      - "80:80"\n') }));
    expect(a.kind).toBe('web');
  });

  it('a service in front that is not a web server decides nothing', () => {
    const a = analyzeRepository(snapshot({ ...app, 'docker-compose.yml': front('  monitor:\n    image: example/monitor:1\n') }));
    expect(a.kind).not.toBe('web');
  });
});
