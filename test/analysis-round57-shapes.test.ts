// Shapes from round 57's dev cases: a Ruby gem whose root config.ru runs a Rack app of its own (olelo) is a web app that
// `rackup` serves, not a library.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('a Ruby gem with a Rack app at its root', () => {
  const gemspec = "Gem::Specification.new do |s|\n  s.name = 'wiki'\n  s.version = '0.1.0'\n  s.files = Dir['lib/**/*.rb']\n  s.add_runtime_dependency('rack', ['~> 1.5.0'])\n  s.add_runtime_dependency('rugged', ['~> 0.19.0'])\nend\n";
  const gem = (extra: Record<string, string>) => snapshot({ Gemfile: "source 'https://rubygems.org'\ngemspec\n", 'wiki.gemspec': gemspec, 'lib/wiki.rb': 'module Wiki\n  class Application\n    def call(env) = [200, {}, ["hi"]]\n  end\nend\n', ...extra });

  it("config.ru's run line serves HTTP: a web app, not a library", () => {
    const a = analyzeRepository(gem({ 'config.ru': "#!/usr/bin/env rackup\nrequire 'wiki'\n\nuse Rack::Session::Cookie, key: 'wiki.session'\nrun Wiki::Application.new\n" }));
    expect(a.language).toBe('ruby');
    expect(a.kind).toBe('web');
    expect(a.evidence).toContainEqual({ fact: 'serves http', source: 'config.ru:5' });
  });

  it('controls: a gem with no config.ru, or whose config.ru runs nothing (the run line commented out), stays a library', () => {
    expect(analyzeRepository(gem({})).kind).toBe('library');
    const commented = analyzeRepository(gem({ 'config.ru': "require 'wiki'\n# run Wiki::Application.new\n" }));
    expect(commented.kind).toBe('library');
  });

  it('control: a config.ru in a subfolder (an example app) does not make the gem a web app', () => {
    expect(analyzeRepository(gem({ 'examples/demo/config.ru': "require 'wiki'\nrun Wiki::Application.new\n" })).kind).toBe('library');
  });
});
