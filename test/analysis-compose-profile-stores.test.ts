// Round 14: stores a compose file gates behind profiles of their own (`profiles: [postgres]`, `[redis]`) beside an app
// that always runs and waits on none of them: switches a developer may turn on, not stores the app needs.
// Synthetic in-memory repositories; the rule fails without its code.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = {
  'composer.json': '{"name":"shop/shop","type":"project","require":{"php":">=8.0"}}',
  'public/index.php': '<?php\n',
  'Dockerfile': 'FROM php:8.4-apache\nCOPY . /var/www/html\nEXPOSE 80\n',
};
const compose = (appDepends: string) => `services:\n  app:\n    build: .\n    environment:\n      - DB_HOSTNAME=mysql\n    depends_on:\n${appDepends}  mysql:\n    image: mariadb\n  postgres:\n    image: postgres:latest\n    profiles: [postgres]\n  redis:\n    image: redis:latest\n    profiles: [redis]\n`;

describe('stores behind profiles of their own', () => {
  it('are left out when the always-on app does not depend on them', () => {
    const a = analyzeRepository(snapshot({ ...app, 'docker-compose.yml': compose('      - mysql\n') }));
    expect(a.stateful).toEqual(['mysql']);
  });

  it('are kept when an always-on service depends on them', () => {
    const a = analyzeRepository(snapshot({ ...app, 'docker-compose.yml': compose('      - mysql\n      - redis\n') }));
    expect(a.stateful).toEqual(['mysql', 'redis']);
  });

  it('are kept when every service sits behind a profile', () => {
    const all = 'services:\n  app:\n    build: .\n    profiles: [dev]\n  redis:\n    image: redis:latest\n    profiles: [dev]\n';
    expect(analyzeRepository(snapshot({ ...app, 'docker-compose.yml': all })).stateful).toEqual(['redis']);
  });
});
