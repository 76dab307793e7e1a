// Round 21 shape (eval/RUBRIC.md state): a Sinatra app whose data setting defaults to a folder beside its code
// (a private gem server's data/ of uploaded gems) and which writes files there keeps its records on local disk.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const server = (settings: string, store: string) => ({
  Gemfile: "source 'https://rubygems.org'\ngem 'sinatra', '~> 4.0'\ngem 'rackup'\n",
  'config.ru': "require_relative 'lib/gembox'\nrun Gembox::Server\n",
  'lib/gembox.rb': `require 'sinatra/base'\nmodule Gembox\n  class << self\n    attr_accessor :data\n  end\n${settings}end\n`,
  'lib/gembox/store.rb': `module Gembox\n  class Store\n    def save(gem)\n${store}    end\n  end\nend\n`,
});
const writes = "      FileUtils.mkdir_p(File.join(Gembox.data, 'gems'))\n      File.open(File.join(Gembox.data, 'gems', gem.name), 'wb') { |f| f.write(gem.bytes) }\n";

describe('Ruby data folder beside the code', () => {
  it('is local state when the data setting defaults to a folder of the app and the app writes files', () => {
    const a = analyzeRepository(snapshot(server('  self.data = File.join(File.dirname(__FILE__), *%w[.. data])\n', writes)));
    expect(a.localState).toEqual([{ name: 'data folder on local disk (data/ beside the code)', source: 'lib/gembox.rb:6' }]);
    const expanded = analyzeRepository(snapshot(server("  set :uploads_dir, File.expand_path('../uploads', __dir__)\n", writes)));
    expect(expanded.localState?.map((s) => s.name)).toEqual(['data folder on local disk (uploads/ beside the code)']);
  });

  it('is not when the app only reads the folder, or the setting names views or a cache', () => {
    expect(analyzeRepository(snapshot(server('  self.data = File.join(File.dirname(__FILE__), *%w[.. data])\n', '      YAML.load_file(File.join(Gembox.data, "seeds.yml"))\n'))).localState).toEqual([]);
    expect(analyzeRepository(snapshot(server("  self.data = File.join(File.dirname(__FILE__), '..', 'views')\n", writes))).localState).toEqual([]);
    expect(analyzeRepository(snapshot(server("  self.data = File.join(File.dirname(__FILE__), '..', 'tmp', 'cache')\n", writes))).localState).toEqual([]);
  });
});
