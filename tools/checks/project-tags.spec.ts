import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { projectScopes, projectTypes } from '../eslint/dep-constraints.cjs';

const workspaceRoot = join(__dirname, '..', '..');
const skipped = new Set(['node_modules', '.git', '.nx', '.cache', 'dist', 'tmp']);

function projectFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (skipped.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return projectFiles(path);
    return entry.name === 'project.json' ? [path] : [];
  });
}

const projects = projectFiles(workspaceRoot).map((file) => {
  const { name, tags = [] } = JSON.parse(readFileSync(file, 'utf8')) as {
    name: string;
    tags?: string[];
  };
  return { name, file: relative(workspaceRoot, file), tags };
});

describe('every Nx project', () => {
  it('is found', () => {
    expect(projects.map((p) => p.name)).toEqual(expect.arrayContaining(['udi', 'tools']));
  });

  it.each(projects)('$name has exactly one known type:* and one known scope:* tag', (project) => {
    const types = project.tags.filter((tag) => tag.startsWith('type:'));
    const scopes = project.tags.filter((tag) => tag.startsWith('scope:'));
    expect(types).toHaveLength(1);
    expect(scopes).toHaveLength(1);
    expect(projectTypes).toContain(types[0]?.slice('type:'.length));
    expect(projectScopes).toContain(scopes[0]?.slice('scope:'.length));
  });
});
