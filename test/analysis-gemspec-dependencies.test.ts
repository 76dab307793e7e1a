// Round 21 shape: a gem that is also a deployable server (a private gem server's Dockerfile runs `rackup`) declares
// its runtime dependencies in its gemspec, and its Gemfile's bare `gemspec` line installs them: Sinatra is its framework.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const gem = (gemfile: string) => ({
  Gemfile: gemfile,
  'gembox.gemspec': "Gem::Specification.new do |s|\n  s.name = 'gembox'\n  s.add_dependency('sinatra', '~> 4.0')\n  s.add_runtime_dependency 'builder'\n  s.add_development_dependency 'rails'\nend\n",
  'config.ru': "require_relative 'lib/gembox'\nrun Gembox::Server\n",
  'lib/gembox.rb': "require 'sinatra/base'\nmodule Gembox\n  class Server < Sinatra::Base\n    get('/') { 'gems' }\n  end\nend\n",
  Dockerfile: 'FROM ruby:3.3\nWORKDIR /app\nCOPY . .\nRUN bundle install\nEXPOSE 9292\nENTRYPOINT ["rackup", "--host", "0.0.0.0"]\n',
});

describe('gemspec runtime dependencies', () => {
  it('are the app dependencies when the Gemfile installs the gemspec', () => {
    const a = analyzeRepository(snapshot(gem("source 'https://rubygems.org'\n\ngemspec\n\ngroup :test do\n  gem 'rack-test'\nend\n")));
    expect(a.framework).toBe('sinatra');
    expect(a.evidence).toContainEqual({ fact: 'framework sinatra', source: 'gembox.gemspec:3' });
  });

  it('are not read when the Gemfile does not name the gemspec, and development dependencies never count', () => {
    expect(analyzeRepository(snapshot(gem("source 'https://rubygems.org'\ngem 'rack'\n"))).framework).toBeFalsy();
    const devOnly = { ...gem("source 'https://rubygems.org'\ngemspec\n"), 'gembox.gemspec': "Gem::Specification.new do |s|\n  s.add_development_dependency 'sinatra'\nend\n" };
    expect(analyzeRepository(snapshot(devOnly)).framework).toBeFalsy();
  });
});
