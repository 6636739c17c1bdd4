import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fail, type Result } from '../core/result.js';
import { parseScenario, type ScenarioIssue } from './parse-scenario.js';
import type { Scenario } from './scenario.js';

/** Reads and validates a scenario file (YAML or JSON); relative paths inside resolve against its folder. */
export function loadScenario(path: string): Result<Scenario, ScenarioIssue[]> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return fail([{ path: '', message: `cannot read ${path}` }]);
  }
  return parseScenario(text, dirname(resolve(path)));
}

/** Formats validation issues as `FILE:LINE: PATH: message` lines. */
export function formatIssues(file: string, issues: readonly ScenarioIssue[]): string {
  return issues
    .map(
      (i) =>
        `${file}${i.line === undefined ? '' : `:${i.line}`}: ${i.path === '' ? '' : `${i.path}: `}${i.message}\n`,
    )
    .join('');
}
