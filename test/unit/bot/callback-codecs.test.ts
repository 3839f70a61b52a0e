import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CALLBACK_DATA_LIMIT, decodeCallback, encodeCallback } from '../../../src/kernel/callback-data.js';
import { ALL_CALLBACKS } from '../../../src/bot/callbacks/index.js';

describe('callback data format', () => {
  it('round-trips what it encodes', () => {
    expect(decodeCallback(encodeCallback('tri.imp', 42, 'urgent'))).toEqual({ action: 'tri.imp', caseId: 42, arg: 'urgent' });
    expect(decodeCallback(encodeCallback('acc', 7))).toEqual({ action: 'acc', caseId: 7, arg: null });
  });

  it('rejects forged or malformed data', () => {
    for (const bad of ['', 'acc', 'acc:-1', 'acc:01', 'ACC:1', 'acc:1:2:3', 'acc:1:<b>', 'x'.repeat(70), 'acc:1e3', 'acc:1:']) {
      expect(decodeCallback(bad), bad).toBeNull();
    }
  });

  it('never throws on arbitrary input and only accepts canonical strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const d = decodeCallback(s);
        if (d) expect(encodeCallback(d.action, d.caseId, d.arg)).toBe(s);
      }),
    );
  });
});

/** A valid argument of every declared action, at its longest: the round trip and the 64-byte limit are checked on them. */
const SAMPLES: Record<string, unknown[]> = {
  'ap.ok': [null],
  'ap.rw': [null],
  'ap.pub': [null],
  'dh.des': [[3, 999_999_999]],
  'dh.ok': [null],
  'dh.ret': [null],
  'ext.req': [null],
  'ext.ok': [7, 30],
  'ext.no': [null],
  'ex.acc': [1],
  'ex.ret': [12],
  'ex.draft': [null],
  'ex.part': [2],
  'ex.kind': ['final', 'intermediate', 'clarification'],
  'ex.prom': [null, 't29123456'],
  'ex.show': [null],
  'ex.send': [null],
  'ex.clear': [null],
  'ex.pub': [null],
  'ex.cond': [null],
  'ex.meas': [null],
  'cd.set': [null],
  'adm.menu': [null],
  'adm.imp': [null, '2'],
  'adm.topic': [null, '11', 'typed'],
  'adm.loc': [null, '0', 'typed'],
  'adm.dep': [null, 'x', '0-0.1.12', 'n-x'],
  'adm.assign': ['0-0', '1-0.1'],
  'adm.rej': [null, '3'],
  'adm.nc': [null, '0'],
  'adm.ncok': ['1', 'none'],
  'adm.rep': [null, 'search', '123456789012345'],
  'adm.ban': [null, '1'],
  'adm.banok': ['0.30', '2.0'],
  'adm.urg': [null],
  'adm.rea': [null, '4'],
  'adm.note': [null, 'n-x', '0-0'],
  'adm.join': [null, 'search', '42'],
  'stf.list': [0, 3],
  'stf.p': [123456789],
  'stf.role': [[12, 4]],
  'stf.away': [5],
  'stf.awd': ['5.14', '5.14.2'],
  'stf.aws': [[5, 14, 0]],
  'stf.off': [5],
  'stf.offok': [5],
  'stf.on': [5],
  'inv.role': ['4', '4.12'],
  'vw.q': [2],
  'vw.o': [0],
  'vw.f': ['3.AbC-_x0123456'],
  'rep.m': ['2026-10'],
  'help.guide': ['department_head'],
  'stm.l': ['123456789012345', '77.3'],
  'stm.g': ['77.12'],
  'man.ok': [123456789],
  'man.no': [1],
  'msg.sw': [null],
  'case.open': [null],
  'src.man': [null],
  'src.nol': [null],
};

type AnyCodec = {
  actions: readonly string[];
  prefix: string;
  encode(name: string, caseId: number, value?: unknown): string;
  decode(data: string | undefined): { action: string; name: string; caseId: number; arg: unknown } | null;
  claims(data: string | undefined): boolean;
};
const codecs = ALL_CALLBACKS as unknown as readonly AnyCodec[];
const BIG_CASE = 999_999_999_999_999;

describe('every feature declares its callback actions once, with typed arguments', () => {
  it('no two features share a prefix, and every action has samples here', () => {
    const prefixes = codecs.map((c) => c.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    expect(codecs.flatMap((c) => c.actions).sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it('round-trips every action with a valid argument, within 64 bytes for the largest case id', () => {
    for (const codec of codecs) {
      for (const action of codec.actions) {
        const name = action.slice(codec.prefix.length + 1);
        for (const value of SAMPLES[action]!) {
          const data = codec.encode(name, BIG_CASE, value);
          expect(Buffer.byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_LIMIT);
          expect(codec.decode(data), data).toEqual({ action, name, caseId: BIG_CASE, arg: value });
          expect(codec.claims(data)).toBe(true);
          // No other feature reads it.
          for (const other of codecs) if (other !== codec) expect(other.decode(data)).toBeNull();
        }
      }
    }
  });

  it('rejects malformed data: a wrong or missing argument, an unknown action, another prefix', () => {
    for (const codec of codecs) {
      for (const action of codec.actions) {
        const takesNone = SAMPLES[action]!.includes(null);
        const onlyNone = SAMPLES[action]!.every((v) => v === null);
        for (const arg of ['zz', '1.2.3.4.5', '-1', 'search2', '2026-1']) {
          const data = `${action}:5:${arg}`;
          if (onlyNone || !SAMPLES[action]!.some((v) => String(v) === arg)) expect(codec.decode(data), data).toBeNull();
        }
        if (!takesNone) expect(codec.decode(`${action}:5`), `${action} without its argument`).toBeNull();
      }
      expect(codec.decode(`${codec.prefix}.nosuch:5`)).toBeNull();
      expect(codec.decode(`${codec.prefix}x.ok:5`)).toBeNull();
      expect(codec.claims(`${codec.prefix}x.ok:5`)).toBe(false);
    }
  });

  it('refuses to encode an argument its action does not take (a bug, not input)', () => {
    const [approval, departmentHead] = codecs;
    expect(() => approval!.encode('ok', 1, 'x')).toThrow();
    expect(() => departmentHead!.encode('des', 1, [1])).toThrow();
  });

  it('decodes nothing it would not encode, for any input', () => {
    fc.assert(
      fc.property(fc.constantFrom(...codecs.flatMap((c) => c.actions)), fc.string({ maxLength: 30 }), (action, tail) => {
        const data = `${action}:${tail}`;
        for (const codec of codecs) {
          const d = codec.decode(data);
          if (d) expect(codec.encode(d.name, d.caseId, d.arg)).toBe(data);
        }
      }),
    );
  });
});
