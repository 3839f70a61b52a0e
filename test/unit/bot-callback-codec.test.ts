import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeCallback, encodeCallback } from '../../src/bot/callbacks/codec.js';

describe('callback data codec', () => {
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
