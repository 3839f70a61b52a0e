import { describe, it, expect } from 'vitest';
import { cast, reach, PRESET_IDS } from '../../support/workflow-fixtures.js';

// When the network refuses the answer for good, the administrator publishes it by hand and
// records that on the case — under either preset, even where the executor is the publisher (К14).
describe('recording an answer published by hand', () => {
  for (const id of PRESET_IDS) {
    it(`${id}: the administrator records it; an unrelated executor may not`, () => {
      const d = reach(id, 'approved')!;
      // Канаш: executors publish, but only the responsible one (К14); Ахты: executors do not publish (А7.7).
      const refusal = id === 'kanash-2020' ? 'not_assignee' : 'wrong_role';
      d.refused({ type: 'recordPublication', actor: cast.parksExec, permalink: 'https://vk.com/wall-1_2?reply=3' }, refusal);
      d.do({ type: 'recordPublication', actor: cast.admin, permalink: 'https://vk.com/wall-1_2?reply=3', externalId: '3' }).status('published');
      expect(d.s.publications.at(-1)).toMatchObject({ by: cast.admin.staffId, permalink: 'https://vk.com/wall-1_2?reply=3' });
    });
  }
});
