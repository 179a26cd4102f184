import { describe, expect, it } from 'vitest';
import { hostPath, parseHostPath, preferredHost, switchHostPath } from './host-paths.js';

describe('host paths', () => {
  it('puts the host in front of the page', () => {
    expect(hostPath('nas', 'containers/web')).toBe('/hosts/nas/containers/web');
    expect(hostPath('nas', '/containers')).toBe('/hosts/nas/containers');
    expect(hostPath('nas')).toBe('/hosts/nas');
  });

  it('reads the host and section back', () => {
    expect(parseHostPath('/hosts/nas/images')).toEqual({ host: 'nas', section: 'images' });
    expect(parseHostPath('/hosts/nas')).toEqual({ host: 'nas', section: null });
    expect(parseHostPath('/hosts')).toBeNull();
    expect(parseHostPath('/admin')).toBeNull();
  });

  it('keeps the section when switching, and leaves a detail page for its list', () => {
    expect(switchHostPath('/hosts/a/images', 'b')).toBe('/hosts/b/images');
    expect(switchHostPath('/hosts/a/containers/web/edit', 'b')).toBe('/hosts/b/containers');
    expect(switchHostPath('/hosts/a/stacks/blog', 'b')).toBe('/hosts/b/stacks');
    expect(switchHostPath('/', 'b')).toBe('/hosts/b/containers');
    expect(switchHostPath('/hosts', 'b')).toBe('/hosts/b/containers');
  });

  it('opens the last used host while it is visible, else the first visible one', () => {
    expect(preferredHost(['local', 'nas'], 'nas')).toBe('nas');
    expect(preferredHost(['local', 'nas'], 'gone')).toBe('local');
    expect(preferredHost(['nas'], null)).toBe('nas');
    expect(preferredHost([], null)).toBe('local');
  });
});
