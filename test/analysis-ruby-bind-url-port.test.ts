// A Ruby server's default listen address as a puma bind URL (`bind: "tcp://0.0.0.0:9292"` among a config class's
// defaults, `bind "tcp://0.0.0.0:3000"` in config/puma.rb) names its port, before the framework's own default
// (Sinatra's 4567). A commented-out bind, a unix socket or an interpolated port names none.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { explicitPortInCode } from '../function/src/analysis/source-scan.js';
import { snapshot } from './helpers/snapshot.js';

const defaults = (bind: string) => `module Gemstash\n  class Configuration\n    DEFAULTS = {\n      cache_type: "memory",\n      ${bind}\n      db_adapter: "sqlite3"\n    }.freeze\n  end\nend\n`;
const app = (bind: string) =>
  analyzeRepository(snapshot({
    Gemfile: "source 'https://rubygems.org'\ngem 'sinatra'\ngem 'puma'\n",
    'config.ru': "require_relative 'lib/web'\nrun Web\n",
    'lib/web.rb': "require 'sinatra/base'\nclass Web < Sinatra::Base\n  get('/') { 'ok' }\nend\n",
    'lib/configuration.rb': defaults(bind),
  }));

describe('a puma bind URL in Ruby code', () => {
  it("is the app's port before Sinatra's default", () => {
    const a = app('bind: "tcp://0.0.0.0:9292",');
    expect(a.port).toBe(9292);
    expect(a.evidence.find((e) => e.fact === 'port 9292')?.source).toBe('lib/configuration.rb:5');
    expect(explicitPortInCode(snapshot({ 'config/puma.rb': "bind 'tcp://[::]:3001'\n" }), 'ruby')?.value).toBe(3001);
  });

  it('is not a commented-out bind, a unix socket or an interpolated port', () => {
    expect(app('# bind: "tcp://0.0.0.0:9292",').port).toBe(4567);
    expect(app('bind: "unix:///tmp/puma.sock",').port).toBe(4567);
    expect(app('bind: "tcp://0.0.0.0:#{port}",').port).toBe(4567);
  });

  it('stays linear on a long line', () => {
    const started = performance.now();
    explicitPortInCode(snapshot({ 'lib/x.rb': `bind: "tcp://${'a:'.repeat(50_000)}"` }), 'ruby');
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
