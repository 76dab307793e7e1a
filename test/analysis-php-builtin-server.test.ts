// PHP's built-in web server (`php -S host:port`) started by the image serves HTTP on that port: a
// single-file PHP app run that way is a web app even with no framework and no index.php at the root.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { portInCommand, runsHttpServer } from '../function/src/analysis/source-scan.js';
import { snapshot } from './helpers/snapshot.js';

describe("PHP's built-in server", () => {
  it('binds the port after -S', () => {
    expect(portInCommand('php -S 0.0.0.0:8080 -t public')).toBe(8080);
    expect(portInCommand("sh -c 'php -d upload_max_filesize=1G -S 0.0.0.0:80'")).toBe(80);
    expect(runsHttpServer('php -S 0.0.0.0:80')).toBe(true);
    expect(runsHttpServer('php artisan queue:work')).toBe(false);
  });

  it('makes a single-file PHP app in an image a web app on that port', () => {
    const a = analyzeRepository(snapshot({
      'notes.php': '<?php\nsession_start();\necho "notes";\n',
      Dockerfile: 'FROM php:8.3-cli-alpine\nWORKDIR /srv\nCOPY notes.php index.php\nCMD ["sh", "-c", "php -S 0.0.0.0:80"]\n',
    }));
    expect(a.kind).toBe('web');
    expect(a.port).toBe(80);
  });
});
