/**
 * kcmodule's output forms: the default table (with `(before)`/`(now)`/`(next boot)` rows for changes), `-v` and
 * `-P fields`. See kcmodule.ts for what is documented and what is INVENTED.
 * @module
 */
import type { KcCause, KcState } from '../../../abi/hpux/dlkm.js';
import type { KnownModule } from './known-modules.js';

/** `-P` field names. Source: kcmodule(1M). */
export const KCMODULE_FIELDS = [
  'name',
  'alias',
  'desc',
  'version',
  'timestamp',
  'state',
  'cause',
  'next_state',
  'next_cause',
  'before_state',
  'before_cause',
  'capable',
  'depend',
  'exports',
] as const;
/** A `-P` field name. */
export type KcField = (typeof KCMODULE_FIELDS)[number];

const CAUSE_PHRASE: Record<KcCause, string> = {
  explicit: 'explicit request',
  best: 'best state',
  auto: 'automatically loaded',
  required: 'required',
  depend: 'to resolve dependencies',
};

/** The v3 Notes column: what the module can do at run time. */
export function notes(m: KnownModule): string {
  const cap = m.info?.capable ?? [];
  const load = cap.includes('auto') ? 'auto-loadable' : cap.includes('loaded') ? 'loadable' : undefined;
  if (load === undefined) return '';
  return cap.includes('unused') ? `${load}, unloadable` : load;
}

/** ctime-style UTC date followed by the hex timestamp (`Tue Sep 12 21:53:28 2006 [45078EC8]`). */
export function timestampText(t: number): string {
  const d = new Date(t * 1000);
  const wd = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const mo = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][
    d.getUTCMonth()
  ];
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  const hex = t.toString(16).toUpperCase().padStart(8, '0');
  return `${wd} ${mo} ${String(d.getUTCDate()).padStart(2, ' ')} ${time} ${d.getUTCFullYear()} [${hex}]`;
}

/** One line of the table. */
export interface KcRow {
  name: string;
  marker: string;
  state: string;
  cause: string;
  notes: string;
  desc: string;
}

/** The table form. */
export function table(rows: readonly KcRow[], withNotes: boolean, withDesc: boolean): string {
  const nameW = Math.max(12, ...rows.map((r) => r.name.length + 2));
  const markW = rows.some((r) => r.marker !== '') ? 14 : 0;
  const line = (cells: string[]) => `${cells.join('')}`.trimEnd();
  const head = ['Module'.padEnd(nameW + markW), 'State'.padEnd(10), 'Cause'.padEnd(11)];
  if (withNotes) head.push('Notes'.padEnd(withDesc ? 26 : 0));
  if (withDesc) head.push('Description');
  const out = [line(head)];
  for (const r of rows) {
    const cells = [r.name.padEnd(nameW), r.marker.padEnd(markW), r.state.padEnd(10), r.cause.padEnd(11)];
    if (withNotes) cells.push(r.notes.padEnd(withDesc ? 26 : 0));
    if (withDesc) cells.push(r.desc);
    out.push(line(cells));
  }
  return `${out.join('\n')}\n`;
}

/** The rows of one module in a query: one, or `(now)` and `(next boot)` when they differ. */
export function queryRows(m: KnownModule, v3: boolean): KcRow[] {
  const base = { notes: v3 ? notes(m) : '', desc: m.info?.desc ?? '' };
  if (m.nextState === m.state && m.nextCause === m.cause)
    return [{ name: m.name, marker: '', state: m.state, cause: m.cause ?? '', ...base }];
  return [
    { name: m.name, marker: '(now)', state: m.state, cause: m.cause ?? '', ...base },
    { name: '', marker: '(next boot)', state: m.nextState, cause: m.nextCause ?? '', notes: '', desc: '' },
  ];
}

/** The `-v` form of one module (`before`: its state before a change made now). */
export function verbose(m: KnownModule, before?: { state: KcState; cause: KcCause | undefined }): string {
  const L = (label: string, value: string) => `${label.padEnd(13)}${value}`.trimEnd();
  const phrase = (s: KcState, c: KcCause | undefined) => (c === undefined ? s : `${s} (${CAUSE_PHRASE[c]})`);
  const out: string[] = [];
  const info = m.info;
  out.push(
    L(
      'Name',
      info?.timestamp === undefined ? m.name : `${m.name} [${timestampText(info.timestamp).slice(-9, -1)}]`,
    ),
  );
  if (info?.timestamp === undefined && info?.version) out.push(L('Version', info.version));
  if (info?.desc) out.push(L('Description', info.desc));
  if (before !== undefined) out.push(L('Before', phrase(before.state, before.cause)));
  out.push(L('State', phrase(m.state, m.cause)));
  if (m.nextState !== m.state || m.nextCause !== m.cause)
    out.push(L('Next Boot', phrase(m.nextState, m.nextCause)));
  out.push(L('Capable', (info?.capable ?? []).join(' ')));
  const deps = (info?.depends ?? []).map((d) =>
    d.kind === 'module'
      ? `module ${d.name}`
      : `interface ${d.name}${d.version === '' ? '' : ` ${d.version}`}`,
  );
  deps.forEach((d, i) => {
    out.push(L(i === 0 ? 'Depends On' : '', d));
  });
  (info?.exports ?? []).forEach((e, i) => {
    out.push(L(i === 0 ? 'Exports' : '', `interface ${e}`));
  });
  return `${out.join('\n')}\n`;
}

/** The `-P` form of one module. */
export function parsable(
  m: KnownModule,
  fields: readonly KcField[],
  before?: { state: KcState; cause: KcCause | undefined },
): string {
  const out: string[] = [];
  const put = (k: string, v: string | undefined) => out.push(v === undefined || v === '' ? k : `${k} ${v}`);
  const info = m.info;
  for (const f of fields) {
    switch (f) {
      case 'name':
        put('name', m.name);
        break;
      case 'alias':
        break;
      case 'desc':
        put('desc', info?.desc);
        break;
      case 'version':
        put('version', info?.version);
        break;
      case 'timestamp':
        if (info?.timestamp !== undefined) put('timestamp', timestampText(info.timestamp));
        break;
      case 'state':
        put('state', m.state);
        break;
      case 'cause':
        put('cause', m.cause);
        break;
      case 'next_state':
        put('next_state', m.nextState);
        break;
      case 'next_cause':
        put('next_cause', m.nextCause);
        break;
      case 'before_state':
        if (before !== undefined) put('before_state', before.state);
        break;
      case 'before_cause':
        if (before !== undefined) put('before_cause', before.cause);
        break;
      case 'capable':
        put('capable', (info?.capable ?? []).join(' '));
        break;
      case 'depend':
        for (const d of info?.depends ?? []) put('depend', `${d.kind} ${d.name}:${d.version}`);
        break;
      case 'exports':
        for (const e of info?.exports ?? []) put('exports', e);
        break;
    }
  }
  return `${out.join('\n')}\n`;
}
