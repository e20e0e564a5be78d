// Text views of the Kafka tools' results (connection diagnosis, produce report, validation verdict, offsets),
// rendered only from the result data, so the CLI's text, its --json and the MCP tools' text never disagree.

import type { ConnectionReport, OffsetComparison, OffsetSnapshot, ProduceReport, SafeSettings, ValidateReport } from '../kafka/index.js';

export interface Paint {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const PLAIN: Paint = { green: (s) => s, red: (s) => s, yellow: (s) => s, dim: (s) => s, bold: (s) => s };

export function renderSettingsLine(s: SafeSettings): string {
  const parts = [`${s.bootstrapServers.join(',')}`, `${s.auth}${s.tls && s.auth !== 'TLS' && s.auth !== 'MTLS' && s.auth !== 'IAM' ? ' over TLS' : ''}`];
  if (s.username) parts.push(`user ${s.username}`);
  if (s.privateCa) parts.push('private root CA');
  if (s.topic) parts.push(`topic ${s.topic}`);
  const from = [...new Set(Object.values(s.origins).filter((o) => o && o !== 'parameter' && o !== 'default'))];
  return `Kafka: ${parts.join(', ')}${from.length ? ` (from ${from.join(', ')})` : ''}`;
}

export function renderConnectionText(settings: SafeSettings, r: ConnectionReport, p: Paint = PLAIN): string {
  const lines = [renderSettingsLine(settings), ''];
  const mark = { pass: p.green('PASS'), fail: p.red('FAIL'), warn: p.yellow('WARN'), skip: p.dim('SKIP') };
  for (const st of r.steps) {
    lines.push(`${mark[st.status]}  ${st.step.padEnd(8)} ${st.summary}${st.status === 'skip' ? '' : p.dim(` (${st.durationMs} ms)`)}`);
    if (st.step === 'tls' && st.status !== 'skip' && typeof st.facts.subject === 'string') {
      const f = st.facts as Record<string, unknown>;
      lines.push(p.dim(`          subject: ${f.subject}; issuer: ${f.issuer}; valid ${f.validFrom} → ${f.validTo}; SAN: ${(f.subjectAltNames as string[]).join(', ') || '(none)'}`));
    }
    if (st.problem) {
      lines.push(`          ${st.problem.detail}`);
      lines.push(`          Lambda would report: ${p.bold(st.problem.lambdaSays)}`);
      lines.push(`          Likely cause: ${st.problem.cause}`);
      lines.push(`          Fix: ${st.problem.fix}`);
    }
  }
  lines.push('');
  lines.push(r.ok ? p.green(`Connection OK in ${r.durationMs} ms.`) : p.red(`Connection failed at step ${r.problem?.step ?? '?'}.`));
  return lines.join('\n');
}

export function renderProduceText(settings: SafeSettings, r: ProduceReport, p: Paint = PLAIN): string {
  const lines = [
    renderSettingsLine(settings),
    `Produced ${r.produced} of ${r.requested} message(s) of ${r.sizeBytes} bytes to ${r.topic} (run ${r.runId}, ${r.keyMode === 'spread' ? 'keys spread over partitions' : 'one fixed key'})`,
    `in ${r.durationMs} ms: ${r.messagesPerSecond} msg/s, ${r.megabytesPerSecond} MB/s`,
    '',
    'partition  count  first offset  last offset',
  ];
  for (const x of r.partitions) lines.push(`${String(x.partition).padStart(9)}  ${String(x.count).padStart(5)}  ${x.firstOffset.padStart(12)}  ${x.lastOffset.padStart(11)}`);
  if (r.failed > 0) {
    lines.push('', p.red(`${r.failed} message(s) failed:`));
    for (const e of r.errors) lines.push(`  ${e.count} × ${e.message}`);
  }
  return lines.join('\n');
}

export function renderValidateText(settings: SafeSettings, r: ValidateReport, p: Paint = PLAIN): string {
  const lines = [renderSettingsLine(settings)];
  lines.push(
    `Consumer group ${r.groupId} (${r.groupSource === 'custom' ? "the mapping's custom ConsumerGroupId" : r.groupSource === 'uuid' ? "the mapping's UUID" : 'given'})${r.mappingUuid ? `, mapping ${r.mappingUuid}` : ''}`,
  );
  if (r.mode === 'produce') lines.push(`Produced ${r.produced} test message(s) (run ${r.runId}); processed ${r.processed} of them.`);
  else lines.push(`Watched existing traffic: ${r.produced} new record(s); the group committed ${r.processed}.`);
  lines.push(r.timeToConsumeMs !== null ? `Covered in ${r.timeToConsumeMs} ms.` : `Not covered within the timeout (${r.durationMs} ms in all).`);
  lines.push('', 'partition  committed before  committed now  end  lag  processed');
  for (const x of r.partitions) {
    lines.push(`${String(x.partition).padStart(9)}  ${String(x.committedBefore ?? '-').padStart(16)}  ${String(x.committedAfter ?? '-').padStart(13)}  ${x.endAfter.padStart(3)}  ${x.lag.padStart(3)}  ${x.processed.padStart(9)}`);
  }
  if (r.mapping) {
    lines.push('', `Mapping state: ${r.mapping.state}${r.mapping.lastProcessingResult ? `; LastProcessingResult: ${r.mapping.lastProcessingResult}` : ''}`);
  }
  if (r.group?.state) lines.push(`Group state: ${r.group.state}, ${r.group.members ?? 0} member(s)`);
  const good = r.verdict === 'consumed' || r.verdict === 'caught-up' || r.verdict === 'no-traffic';
  lines.push('', `Verdict: ${good ? p.green(r.verdict) : p.red(r.verdict)}`);
  if (r.likelyCause) lines.push(`Likely cause: ${r.likelyCause}`);
  if (r.fix) lines.push(`Fix: ${r.fix}`);
  return lines.join('\n');
}

export function renderSnapshotText(s: OffsetSnapshot): string {
  const lines = [`Group ${s.groupId} on ${s.topic} at ${s.takenAt}: total lag ${s.totalLag}`, 'partition  committed  end  low  lag'];
  for (const x of s.partitions) lines.push(`${String(x.partition).padStart(9)}  ${String(x.committed ?? '-').padStart(9)}  ${x.end.padStart(3)}  ${x.low.padStart(3)}  ${x.lag.padStart(3)}`);
  return lines.join('\n');
}

export function renderComparisonText(c: OffsetComparison): string {
  const lines = [
    `Group ${c.groupId} on ${c.topic} from ${c.from} to ${c.to}: ${c.produced} produced, ${c.consumed} consumed; ${c.coveredProduced ? 'everything produced is committed' : 'not everything produced is committed yet'}${c.caughtUp ? ' (lag 0)' : ''}`,
    'partition  produced  consumed  committed before  committed now  end  lag',
  ];
  for (const x of c.partitions) {
    lines.push(`${String(x.partition).padStart(9)}  ${x.produced.padStart(8)}  ${x.consumed.padStart(8)}  ${String(x.committedBefore ?? '-').padStart(16)}  ${String(x.committedAfter ?? '-').padStart(13)}  ${x.endAfter.padStart(3)}  ${x.lag.padStart(3)}`);
  }
  return lines.join('\n');
}
