// Loading the desired spec for the service functions (paths or inline text) and deciding its single region.
// Problems are returned as data; only unusable input that is not a spec problem throws a user EsmctlError.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { userError } from '../core/errors.js';
import type { MappingSet } from '../core/types.js';
import { loadSpecPaths, loadSpecText, type SpecLoadResult } from '../spec/index.js';
import type { SpecFileRecord, SpecInput } from './types.js';

export const INLINE_SPEC_FILE = '<inline>';

export async function loadSpec(input: SpecInput): Promise<SpecLoadResult> {
  if ('text' in input) return loadSpecText(input.text, input.file ?? INLINE_SPEC_FILE);
  if (input.paths.length === 0) {
    throw userError('spec.no_paths', 'no spec paths given', 'Pass one or more YAML files or directories, e.g. `esmctl plan mappings/`.');
  }
  return loadSpecPaths(input.paths);
}

/** The text of every file the sets were read from (sorted by path), for saved plans. */
export async function recordSpecFiles(input: SpecInput, sets: MappingSet[]): Promise<SpecFileRecord[]> {
  if ('text' in input) {
    return [{ path: input.file ?? INLINE_SPEC_FILE, sha256: sha256(input.text), text: input.text }];
  }
  const files = [...new Set(sets.flatMap((s) => s.files).map((f) => resolve(f)))].sort();
  return Promise.all(
    files.map(async (path) => {
      const text = await readFile(path, 'utf8');
      return { path, sha256: sha256(text), text };
    }),
  );
}

/** The one region the sets name (undefined when none names one); different regions are a user error. */
export function specRegion(sets: MappingSet[]): string | undefined {
  const regions = [...new Set(sets.map((s) => s.region).filter((r): r is string => typeof r === 'string'))].sort();
  if (regions.length > 1) {
    const which = sets
      .filter((s) => s.region)
      .map((s) => `${s.name} (${s.region})`)
      .join(', ');
    throw userError(
      'spec.mixed_regions',
      `the spec's sets name different regions: ${which}`,
      'Plan one region at a time: pass only the files of one region.',
    );
  }
  return regions[0];
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
