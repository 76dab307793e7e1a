// A Rails app whose production Active Storage service is an S3 service of config/storage.yml keeps its uploads in a bucket:
// s3 is one of its stores. A bucket block production does not select is an option.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const rails = {
  Gemfile: 'source "https://rubygems.org"\ngem "rails", "~> 8.0"\ngem "puma"\ngem "pg"\ngem "aws-sdk-s3", require: false\n',
  'config/application.rb': 'module App\n  class Application < Rails::Application\n  end\nend\n',
  'config/storage.yml': 'local:\n  service: Disk\n  root: <%= Rails.root.join("storage") %>\n\namazon:\n  service: S3\n  bucket: app-<%= Rails.env %>\n  region: us-east-2\n',
  Procfile: 'web: bundle exec puma\n',
};
const production = (service: string) => `Rails.application.configure do\n  config.active_storage.service = ${service}\nend\n`;

describe('Active Storage in a bucket', () => {
  it('lists s3 when production selects the S3 service', () => {
    const a = analyzeRepository(snapshot({ ...rails, 'config/environments/production.rb': production(':amazon') }));
    expect(a.stateful).toEqual(['postgres', 's3']);
  });

  it('does not when production keeps files on disk by default', () => {
    const a = analyzeRepository(snapshot({ ...rails, 'config/environments/production.rb': production('ENV.fetch("ACTIVE_STORAGE_SERVICE", "local").to_sym') }));
    expect(a.stateful).toEqual(['postgres']);
  });
});
