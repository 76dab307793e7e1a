// Round 14: Apache's own image (`FROM httpd`) built with only its configuration in front of php-fpm is a proxy, as a
// configured nginx is; built with a front-end's output it still serves code of the repository.
// Synthetic in-memory repositories; the rule fails without its code.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const compose = 'services:\n  apache:\n    build:\n      context: .\n      dockerfile: docker/apache/Dockerfile\n    ports:\n      - "80:80"\n    depends_on:\n      - php\n  php:\n    build:\n      context: .\n      dockerfile: docker/php/Dockerfile\n    ports:\n      - "9000:9000"\n  mysql:\n    image: mariadb\n';
const app = {
  'composer.json': '{"name":"shop/shop","type":"project","require":{"php":">=8.0","twig/twig":"^3.0"}}',
  'public/index.php': '<?php\nrequire "../system/startup.php";\n',
  'docker/php/Dockerfile': 'FROM php:8.4-fpm\nCOPY docker/php/supervisord.conf /etc/supervisor/supervisord.conf\nCMD ["supervisord", "-c", "/etc/supervisor/supervisord.conf"]\n',
  'docker-compose.yml': compose,
};

describe('an Apache httpd image in front of php-fpm', () => {
  it('is a proxy when it copies in only its configuration', () => {
    const a = analyzeRepository(snapshot({ ...app, 'docker/apache/Dockerfile': 'FROM httpd:2.4-alpine\nCOPY docker/apache/conf/httpd.conf /usr/local/apache2/conf/httpd.conf\nRUN mkdir -p /usr/local/apache2/conf/sites-available\nCOPY docker/apache/conf/shop.conf /usr/local/apache2/conf/sites-available/shop.conf\nEXPOSE 80\n' }));
    expect((a.services ?? []).map((s) => s.name)).toEqual(['php']);
  });

  it('is a service of its own when it serves a front-end built here', () => {
    const a = analyzeRepository(snapshot({ ...app, 'docker/apache/Dockerfile': 'FROM node:20 AS build\nCOPY frontend /src\nRUN npm run build\nFROM httpd:2.4-alpine\nCOPY --from=build /src/dist /usr/local/apache2/htdocs/\n' }));
    expect((a.services ?? []).map((s) => s.name)).toEqual(['apache', 'php']);
  });
});
