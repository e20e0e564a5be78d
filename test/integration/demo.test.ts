// `npm run demo` (node dist/demo/demo.js) as a user runs it: it must finish on its own with exit 0 and show each
// step of the flow — plan with changes, apply, no changes, drift naming the field, the replace warning, consumption.

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, collect, ensureBuilt } from './cli-harness.js';

describe('npm run demo', () => {
  beforeAll(() => ensureBuilt());

  it('walks validate → plan → apply → no changes → drift → revert → replace → consume, and exits 0', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'demo', 'demo.js')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const r = await collect(child, { timeoutMs: 170_000 });
    const out = r.stdout;
    expect(r.code, `${out}\n${r.stderr}`).toBe(0);
    // every step, in order
    const steps = [...out.matchAll(/── (\d+)\/12 /g)].map((m) => Number(m[1]));
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(out).toContain('$ esmctl validate payments.yaml');
    expect(out).toMatch(/Plan: 1 to create, 0 to update, 0 to replace, 0 to delete, 0 to adopt\.\n[\s\S]*?\[exit 2\]/);
    expect(out).toMatch(/Apply complete: 2 done/);
    expect(out).toMatch(/No changes\.[\s\S]*?\[exit 0\]/);
    // drift names the field and exits 2
    expect(out).toMatch(/\$ esmctl drift payments\.yaml[\s\S]*?batchSize = 500 → 10[\s\S]*?\[exit 2\]/);
    // the topic change plans a replace with its consumer-group warning
    expect(out).toMatch(/-\/\+ replace demo\/payments/);
    expect(out).toMatch(/topic = "payments\.v1" → "payments\.v2"\s+# forces replacement/);
    expect(out).toMatch(/Warnings:\n\s+! demo\/payments: .*consumer group/);
    // messages produced and consumed by the replaced mapping
    expect(out).toMatch(/\$ esmctl kafka produce --mapping [0-9a-f-]{36} [\s\S]*?\[exit 0\]/);
    expect(out).toMatch(/Verdict: consumed/);
    expect(out).toMatch(/invoked demo-consumer \d+ time\(s\) with 70 record\(s\) from payments\.v2/);
    expect(out).toMatch(/Demo complete in \d+\.\ds\./);
    // the demo's sandbox secrets never reach the output
    expect(out + r.stderr).not.toContain('sandbox-only-not-a-real-password');
    expect(out + r.stderr).not.toContain('demo-password');
  }, 180_000);
});
