// Shared bits of the spec-reading commands: default paths, and printing spec problems (file:line:col, caret
// excerpt) to stderr with a count.

import type { SpecProblem } from '../spec/index.js';
import type { Terminal } from './terminal.js';

export function specPaths(paths: string[]): string[] {
  return paths.length > 0 ? paths : ['.'];
}

export async function printProblems(term: Terminal, problems: SpecProblem[]): Promise<void> {
  const { formatProblems } = await import('../spec/index.js');
  term.stderr.write(`${formatProblems(problems, { color: term.colorErr }).replace(/\n*$/, '\n')}`);
  const n = problems.length;
  term.stderr.write(`${term.cErr.red(`${n} problem${n === 1 ? '' : 's'} in the spec`)}; nothing was read from or changed in AWS.\n`);
}
