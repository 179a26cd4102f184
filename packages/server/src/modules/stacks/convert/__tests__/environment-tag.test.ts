import { ComposeProject } from '@berth/contract';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AppError } from '../../../../core/errors.js';
import { inheritEnvironmentTag, stackEnvironmentTag } from '../environment-tag.js';

const project = ComposeProject.parse({
  name: 'shop',
  working_dir: '/stacks/shop',
  config_files: ['/stacks/shop/compose.yaml'],
  services: {
    web: { image: 'nginx' },
    db: { image: 'postgres', labels: { 'io.berth.environment': 'staging' } },
  },
});

describe("a stack's environment tag", () => {
  it('is read from the x-berth extension of the compose file', () => {
    const file = 'x-berth:\n  environment: prod\nservices:\n  web:\n    image: nginx\n';
    expect(stackEnvironmentTag(parse(file))).toBe('prod');
    expect(stackEnvironmentTag(parse('services: {}'))).toBeUndefined();
    expect(stackEnvironmentTag(null)).toBeUndefined();
  });

  it('refuses a tag that is none, naming where it is', () => {
    expect(() => stackEnvironmentTag({ 'x-berth': { environment: 'Prod Env' } })).toThrow(AppError);
    try {
      stackEnvironmentTag({ 'x-berth': { environment: 'Prod Env' } });
    } catch (err) {
      expect((err as AppError).details).toEqual({
        issues: [
          { field: 'x-berth.environment', message: expect.stringMatching(/lowercase/) as unknown },
        ],
      });
    }
  });

  it("labels every service that has no tag of its own; a service's own label wins", () => {
    const tagged = inheritEnvironmentTag(project, 'prod');
    expect(tagged.services.web?.labels).toEqual({ 'io.berth.environment': 'prod' });
    expect(tagged.services.db?.labels).toEqual({ 'io.berth.environment': 'staging' });
    expect(project.services.web?.labels).toEqual({});
    expect(inheritEnvironmentTag(project, undefined)).toBe(project);
  });
});
