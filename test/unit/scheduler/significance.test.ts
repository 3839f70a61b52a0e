import { afterEach, describe, expect, it } from 'vitest';
import { significantIncidentHint } from '../../../src/domain/text/significance.js';
import { createScheduler } from '../../../src/scheduler/index.js';
import { makeWorld } from './env.js';

const worlds: { database: { close(): void } }[] = [];
afterEach(() => worlds.splice(0).forEach((w) => w.database.close()));

describe('significantIncidentHint (А17: accidents, ecological disasters, emergencies)', () => {
  it('finds the word that makes a text look like an incident, and nothing in an ordinary question', () => {
    expect(significantIncidentHint('Прорыв теплотрассы на ул. Мира')).toBe('Прорыв');
    expect(significantIncidentHint('На трассе ДТП, есть пострадавшие')).toBe('пострадавшие');
    expect(significantIncidentHint('Сильный запах газа в подъезде')).toBe('запах газа');
    expect(significantIncidentHint('Мы без света уже третий день')).toBe('без света уже');
    expect(significantIncidentHint('Когда будет справка о составе семьи?')).toBeNull();
    expect(significantIncidentHint('Срочно отремонтируйте лавочку')).toBeNull();
    expect(significantIncidentHint('Пожарная часть просит убрать машины')).toBe('Пожарная'); // the administrator decides
  });
});

describe('the watch suggests «значимое происшествие» to the administrator', () => {
  it('akhty-2021: a new accident case once, with the button to report it; an ordinary one never', async () => {
    const w = makeWorld('akhty-2021', '2026-10-05T10:00');
    worlds.push(w);
    const old = w.register({ text: 'Авария на водопроводе вчера' });
    const sched = createScheduler(w.app);
    await sched.tick(); // the first run: history is not re-announced
    const accident = w.register({ text: 'Обрушение крыши сарая на ул. Ленина' });
    const ordinary = w.register({ text: 'Когда покрасят забор у школы?' });
    await sched.tick();
    const suggestions = w.outbox().filter((r) => (r.payload as { text?: string }).text?.includes('похоже на значимое происшествие'));
    expect(suggestions.map((r) => [r.caseId, (r.payload as { chat_id: number }).chat_id])).toEqual([[accident, 101]]);
    expect(JSON.stringify(suggestions[0]!.payload)).toContain(`adm.urg:${accident}`);
    expect(suggestions.some((r) => r.caseId === old || r.caseId === ordinary)).toBe(false);
    await sched.tick();
    expect(w.outbox().filter((r) => (r.payload as { text?: string }).text?.includes('похоже на значимое происшествие'))).toHaveLength(1);
    // Nothing is pushed by itself: the head hears of it only when the administrator marks it.
    expect(w.load(accident).urgent).toBe(false);
    await sched.stop();
  });

  it('kanash-2020 provides no report to the head: no suggestion', async () => {
    const w = makeWorld('kanash-2020', '2026-10-05T10:00');
    worlds.push(w);
    const sched = createScheduler(w.app);
    await sched.tick();
    w.register({ text: 'Пожар в общежитии' });
    await sched.tick();
    expect(w.outbox().some((r) => (r.payload as { text?: string }).text?.includes('похоже на значимое происшествие'))).toBe(false);
    await sched.stop();
  });
});
