import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PROPOSAL_STATUSES } from '../../../libs/domain/intake/proposal-status';

const ROOT = resolve(__dirname, '../../..');
const path = (...parts: string[]): string => resolve(ROOT, ...parts);

const SHARED_SPEC = path('..', 'shared', 'SPEC.md');
const LIFECYCLE_HEADING = '## Proposal lifecycle';

/** The first ```mermaid block under the lifecycle heading, before the next `## ` heading. */
function lifecycleDiagram(markdown: string): string {
  const start = markdown.split('\n').findIndex((line) => line.trim() === LIFECYCLE_HEADING);
  if (start < 0) throw new Error(`docs/architecture.md has no "${LIFECYCLE_HEADING}" heading`);
  const lines = markdown.split('\n').slice(start + 1);
  const end = lines.findIndex((line) => /^## /.test(line));
  const section = (end < 0 ? lines : lines.slice(0, end)).join('\n');
  const block = /```mermaid\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error(`No mermaid block under "${LIFECYCLE_HEADING}"`);
  if (!/^\s*stateDiagram-v2\b/.test(block[1])) throw new Error(`The mermaid block under "${LIFECYCLE_HEADING}" is not a stateDiagram-v2`);
  return block[1];
}

/** Every state named by a transition (`A --> B : label`) or a declaration (`state A`, `state "…" as A`); `[*]` is not a state. */
function statesOf(diagram: string): Set<string> {
  const states = new Set<string>();
  for (const raw of diagram.split('\n')) {
    const line = raw.replace(/%%.*$/, '').trim();
    if (line.includes('-->')) {
      const transition = line.split(':')[0];
      for (const side of transition.split('-->')) {
        const name = side.trim();
        if (name && name !== '[*]') states.add(name);
      }
      continue;
    }
    const declared = /^state\s+(?:"[^"]*"\s+as\s+)?([A-Za-z_][\w]*)/.exec(line);
    if (declared) states.add(declared[1]);
  }
  return states;
}

describe('docs', () => {
  const specIt = existsSync(SHARED_SPEC) ? it : it.skip;
  specIt('docs/spec.md is an exact copy of ../shared/SPEC.md', () => {
    const copy = readFileSync(path('docs', 'spec.md'));
    const source = readFileSync(SHARED_SPEC);
    expect(copy.equals(source) ? 'identical' : 'docs/spec.md differs from ../shared/SPEC.md: copy it again with `cp ../shared/SPEC.md docs/spec.md`').toBe('identical');
  });

  it('the lifecycle diagram of docs/architecture.md has exactly the ProposalStatus states', () => {
    const diagram = lifecycleDiagram(readFileSync(path('docs', 'architecture.md'), 'utf8'));
    const drawn = statesOf(diagram);
    const known = new Set<string>(PROPOSAL_STATUSES);
    const missing = [...known].filter((s) => !drawn.has(s));
    const unknown = [...drawn].filter((s) => !known.has(s));
    expect({ missingFromDiagram: missing, notAProposalStatus: unknown }).toEqual({ missingFromDiagram: [], notAProposalStatus: [] });
  });
});
