// Paperclip and CarrierWave attachments: on the app's disk unless the app sends them to a bucket.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const gemfile = (...gems: string[]) => ["source 'https://rubygems.org'", "gem 'rails', '~> 7.2'", "gem 'mysql2'", ...gems.map((g) => `gem '${g}'`), ''].join('\n');
const database = 'production:\n  adapter: mysql2\n  host: <%= ENV["DATABASE_HOST"] %>\n';
const rails = (files: Record<string, string>) => analyzeRepository(snapshot({ 'config/database.yml': database, 'config/application.rb': 'module App\n  class Application < Rails::Application\n  end\nend\n', ...files }));
const paperclipModel = "class Attachment < ApplicationRecord\n  has_attached_file :file,\n    path: ':rails_root/db/assets/:class/:id/:basename.:extension'\nend\n";
const uploaderModel = 'class User < ApplicationRecord\n  mount_uploader :avatar, AvatarUploader\nend\n';

describe('Paperclip and CarrierWave attachments', () => {
  it('keeps Paperclip attachments with the default file storage on local disk', () => {
    const a = rails({ Gemfile: gemfile('kt-paperclip'), 'app/models/attachment.rb': paperclipModel });
    expect(a.localState?.map((s) => s.name)).toEqual(['uploads on local disk (Paperclip file storage)']);
    expect(a.localState?.[0]?.source).toBe('app/models/attachment.rb:2');
  });

  it('keeps a CarrierWave uploader storing :file on local disk', () => {
    const a = rails({ Gemfile: gemfile('carrierwave'), 'app/models/user.rb': uploaderModel, 'app/uploaders/avatar_uploader.rb': 'class AvatarUploader < CarrierWave::Uploader::Base\n  storage :file\nend\n' });
    expect(a.localState?.map((s) => s.name)).toEqual(['uploads on local disk (CarrierWave file storage)']);
  });

  it('does not when the attachments go to a bucket', () => {
    const s3Option = rails({ Gemfile: gemfile('kt-paperclip'), 'app/models/attachment.rb': paperclipModel.replace('has_attached_file :file,', 'has_attached_file :file, storage: :s3,') });
    expect(s3Option.localState ?? []).toEqual([]);
    const s3Default = rails({ Gemfile: gemfile('kt-paperclip'), 'app/models/attachment.rb': paperclipModel, 'config/initializers/paperclip.rb': 'Paperclip::Attachment.default_options[:storage] = :s3\n' });
    expect(s3Default.localState ?? []).toEqual([]);
    const fog = rails({ Gemfile: gemfile('carrierwave', 'fog-aws'), 'app/models/user.rb': uploaderModel, 'app/uploaders/avatar_uploader.rb': 'class AvatarUploader < CarrierWave::Uploader::Base\n  storage :fog\nend\n' });
    expect(fog.localState ?? []).toEqual([]);
  });
});
