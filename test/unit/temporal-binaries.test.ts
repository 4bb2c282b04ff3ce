import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, resolveTemporalBinary, TEMPORAL_CLI } from '../../infra/temporal-binaries.js';

function fakeExecutable(dir: string, name: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return p;
}

describe('Temporal binary resolution', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-bin-'));

  it('prefers the environment variable over PATH', () => {
    const envBin = fakeExecutable(dir, 'my-temporal');
    const pathDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-path-'));
    fakeExecutable(pathDir, 'temporal');
    const source = resolveTemporalBinary(TEMPORAL_CLI, { env: { TEMPORAL_CLI_PATH: envBin, PATH: pathDir }, install: false, log: () => {} });
    expect(source).toEqual({ type: 'existing-path', path: envBin, origin: 'env' });
  });

  it('fails loudly when the environment variable points at nothing', () => {
    expect(() => resolveTemporalBinary(TEMPORAL_CLI, { env: { TEMPORAL_CLI_PATH: path.join(dir, 'missing') }, install: false, log: () => {} })).toThrow(
      /TEMPORAL_CLI_PATH/,
    );
  });

  it('finds the binary on PATH when no variable is set', () => {
    const pathDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-path-'));
    const onPath = fakeExecutable(pathDir, 'temporal');
    const source = resolveTemporalBinary(TEMPORAL_CLI, { env: { PATH: `/nonexistent${path.delimiter}${pathDir}` }, install: false, log: () => {} });
    expect(source).toEqual({ type: 'existing-path', path: onPath, origin: 'path' });
  });

  it('uses the project-local install when present and falls back to the SDK download only without it', () => {
    const local = path.join(PROJECT_ROOT, '.tools', 'temporal', 'bin', 'temporal');
    const source = resolveTemporalBinary(TEMPORAL_CLI, { env: { PATH: '' }, install: false, log: () => {} });
    if (fs.existsSync(local)) expect(source).toEqual({ type: 'existing-path', path: local, origin: 'tools' });
    else expect(source).toEqual({ type: 'cached-download', origin: 'sdk-download' });
  });
});
