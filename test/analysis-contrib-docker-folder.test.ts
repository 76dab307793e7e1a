// A project that keeps its container packaging in `contrib/docker/` beside other integrations (Fava: a Dockerfile that
// pip-installs the released package and runs it) ships that image: its EXPOSE and CMD are the app's port and command.
// Another contrib folder's Dockerfile (a monitoring add-on) is not the app's image.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = {
  'pyproject.toml': '[project]\nname = "ledger-ui"\ndependencies = ["Flask>=2.2,<4", "cheroot>=8"]\n\n[project.scripts]\nledger-ui = "ledger_ui.cli:main"\n',
  'src/ledger_ui/application.py': 'from flask import Flask\napp = Flask(__name__)\n',
};
const image = 'FROM python:slim as builder\nRUN pip install --prefix=/install ledger-ui\nFROM python:slim\nCOPY --from=builder /install /usr/local\nENV LEDGER_UI_HOST "0.0.0.0"\nEXPOSE 5050\nCMD ledger-ui\n';

describe('the image in contrib/docker/', () => {
  it('is the app image: its port and command', () => {
    const a = analyzeRepository(snapshot({ ...app, 'contrib/docker/Dockerfile': image }));
    expect(a.hasDockerfile).toBe(true);
    expect(a.port).toBe(5050);
    expect(a.startCommand).toBe('ledger-ui');
    expect(a.evidence).toContainEqual({ fact: 'startCommand ledger-ui', source: 'contrib/docker/Dockerfile:7' });
  });
});

describe('a Dockerfile in another contrib folder', () => {
  it('is not the app image', () => {
    const a = analyzeRepository(snapshot({ ...app, 'contrib/grafana/Dockerfile': 'FROM grafana/grafana:11.0.0\nCOPY dashboards /etc/grafana/dashboards\nEXPOSE 3000\n' }));
    expect(a.hasDockerfile).toBe(false);
    expect(a.port).not.toBe(3000);
  });
});
